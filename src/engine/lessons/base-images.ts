import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { COMPOSE_FILES } from '../docker/compose-guard.js';
import { analyzeDockerfile } from '../dockerfile/analyze.js';
import type { Course } from './load.js';

/**
 * Every base image the lessons' Dockerfiles and compose files use (ARGs expanded), so `doctor`
 * and the test environment know what must be present or pullable.
 */
export const courseBaseImages = async (course: Course): Promise<string[]> => {
  const images = new Set<string>();
  for (const lesson of course.lessons) {
    for (const overlay of ['start', 'solution']) {
      const dockerfile = join(lesson.dir, overlay, lesson.meta.dockerfile);
      if (existsSync(dockerfile)) {
        const analysis = analyzeDockerfile(await fs.readFile(dockerfile, 'utf8'));
        for (const stage of analysis.stages) {
          if (stage.fromStage === null && stage.image !== 'scratch' && !stage.image.includes('$')) images.add(stage.image);
        }
      }
      for (const name of COMPOSE_FILES) {
        const file = join(lesson.dir, overlay, name);
        if (!existsSync(file)) continue;
        try {
          const doc = parseYaml(await fs.readFile(file, 'utf8')) as { services?: Record<string, { image?: unknown }> } | null;
          for (const service of Object.values(doc?.services ?? {})) {
            if (typeof service?.image === 'string' && !service.image.includes('$')) images.add(service.image);
          }
        } catch {
          // a start overlay may hold a deliberately broken compose file
        }
      }
    }
  }
  return [...images].sort();
};
