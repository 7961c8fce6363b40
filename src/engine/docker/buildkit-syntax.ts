/** Finds Dockerfile syntax only BuildKit understands, so a classic-only Docker gets a plain "needs BuildKit". */

export interface BuildkitFeature {
  readonly feature: 'syntax-directive' | 'run-mount' | 'run-network' | 'run-security' | 'heredoc' | 'copy-link' | 'copy-chmod' | 'add-checksum';
  /** 1-based line. */
  readonly line: number;
}

const INSTRUCTION = /^\s*(RUN|COPY|ADD)\s+(.*)$/i;

export const findBuildkitFeatures = (dockerfile: string): BuildkitFeature[] => {
  const found: BuildkitFeature[] = [];
  const lines = dockerfile.replace(/^\uFEFF/, '').split(/\r?\n/);
  let inDirectives = true;
  lines.forEach((text, index) => {
    const line = index + 1;
    if (inDirectives) {
      if (/^\s*#\s*syntax\s*=/i.test(text)) {
        found.push({ feature: 'syntax-directive', line });
        return;
      }
      if (!/^\s*#\s*\w+\s*=/.test(text)) inDirectives = false;
    }
    const match = INSTRUCTION.exec(text);
    if (!match) return;
    const keyword = (match[1] ?? '').toUpperCase();
    const rest = match[2] ?? '';
    const flags = [...rest.matchAll(/(?:^|\s)--([a-z-]+)(?:=\S*)?/gi)].map((m) => (m[1] ?? '').toLowerCase());
    if (keyword === 'RUN') {
      if (flags.includes('mount')) found.push({ feature: 'run-mount', line });
      if (flags.includes('network')) found.push({ feature: 'run-network', line });
      if (flags.includes('security')) found.push({ feature: 'run-security', line });
    }
    if (keyword !== 'RUN' && flags.includes('link')) found.push({ feature: 'copy-link', line });
    if (keyword !== 'RUN' && flags.includes('chmod')) found.push({ feature: 'copy-chmod', line });
    if (keyword === 'ADD' && flags.includes('checksum')) found.push({ feature: 'add-checksum', line });
    if (/<<-?\s*["']?[A-Za-z_][\w]*["']?/.test(rest) && !/^\s*\[/.test(rest)) found.push({ feature: 'heredoc', line });
  });
  return found;
};
