import { parse as parseYaml } from 'yaml';
import { COMPOSE_FILES } from '../docker/compose-guard.js';
import { analyzeDockerfile } from '../dockerfile/analyze.js';
import { withoutDigestMarks } from './digest-pins.js';
import type { Course } from './load.js';

/**
 * Every base image the lessons' Dockerfiles and compose files use (ARGs expanded), so `doctor`
 * and the test environment know what must be present or pullable.
 */
export const courseBaseImages = async (course: Course): Promise<string[]> => {
  const images = new Set<string>();
  for (const lesson of course.lessons) {
    for (const overlay of ['start', 'solution']) {
      const dockerfile = await course.files.read(`${lesson.path}/${overlay}/${lesson.meta.dockerfile}`);
      if (dockerfile) {
        // A pinned base is the image its tag names: doctor and prepare get it by tag, and its digest here.
        const analysis = analyzeDockerfile(withoutDigestMarks(dockerfile.bytes.toString('utf8')));
        for (const stage of analysis.stages) {
          if (stage.fromStage === null && stage.image !== 'scratch' && !stage.image.includes('$')) images.add(stage.image);
        }
      }
      for (const name of COMPOSE_FILES) {
        const file = await course.files.read(`${lesson.path}/${overlay}/${name}`);
        if (!file) continue;
        try {
          const doc = parseYaml(file.bytes.toString('utf8')) as { services?: Record<string, { image?: unknown }> } | null;
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
