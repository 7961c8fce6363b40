import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure code, fake drivers, ink-testing-library, no Docker) and `docker`
// (needs a real engine; run after `npm run test:env`). `e2e` drives the packed CLI.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/ui/**/*.test.tsx', 'src/**/*.test.ts'],
          testTimeout: 20_000,
          // One module graph per worker instead of one per file: the files import the same engine and
          // UI, and loading it 83 times took a third of the stage (157 s against 117 s on 2 cores; all
          // 2000 tests pass with the files in a shuffled order too). Tests restore what they change.
          isolate: false,
        },
      },
      {
        test: {
          name: 'docker',
          include: ['test/docker/**/*.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
