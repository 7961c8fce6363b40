// Spawned by interrupt.test.ts (bundled with esbuild): a process with a live Docker session that
// gets SIGINT. `run` mode: a running container and a volume; `build` mode: a build in progress.
import { createDockerSession, installInterruptCleanup } from '../../src/engine/docker/index.js';

const [dir, mode] = process.argv.slice(2);
installInterruptCleanup();
const session = createDockerSession({
  contextDir: dir ?? '.',
  lessonId: 'interrupt-child',
  onProgress: (event) => {
    if (mode === 'build' && event.type === 'build-step' && event.step.includes('RUN')) console.log(`BUILDING ${session.id}`);
  },
});
if (mode === 'build') {
  await session.lessonImage({ BUST: String(Date.now()) });
} else {
  const build = await session.lessonImage();
  if (!build.imageId) throw new Error(`build failed: ${build.tail.join('\n')}`);
  await session.createVolume();
  await session.run({ image: build.imageId, publish: [8080] });
  console.log(`READY ${session.id}`);
}
setInterval(() => undefined, 1000);
