import type { DockerfileAnalysis } from './types.js';

/** Syntax only BuildKit understands; the classic builder fails on it (or, for some, silently ignores it). */
export interface BuildkitFeature {
  readonly feature: 'run-mount' | 'run-network' | 'run-security' | 'heredoc' | 'copy-link' | 'copy-chmod' | 'add-checksum';
  /** 1-based line. */
  readonly line: number;
}

/**
 * The BuildKit-only features a Dockerfile uses, read from the analysis (so a `RUN \` whose
 * `--mount` sits on the next line counts, as BuildKit reads it).
 */
export const buildkitFeatures = (analysis: DockerfileAnalysis): BuildkitFeature[] => {
  const found: BuildkitFeature[] = [];
  for (const i of analysis.instructions) {
    const keyword = i.keyword.toUpperCase();
    const flags = new Set(i.flags.map((f) => f.name));
    const add = (feature: BuildkitFeature['feature']) => found.push({ feature, line: i.line });
    if (keyword === 'RUN') {
      if (flags.has('mount')) add('run-mount');
      if (flags.has('network')) add('run-network');
      if (flags.has('security')) add('run-security');
    }
    if (keyword === 'COPY' || keyword === 'ADD') {
      if (flags.has('link')) add('copy-link');
      if (flags.has('chmod')) add('copy-chmod');
    }
    if (keyword === 'ADD' && flags.has('checksum')) add('add-checksum');
    if (i.heredocs.length > 0) add('heredoc');
  }
  return found;
};
