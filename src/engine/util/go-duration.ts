const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/**
 * Seconds of a Go duration as time.ParseDuration reads it ("2s", "1m30s", "500ms", "1.5h", "0");
 * undefined when Go would refuse it.
 */
export const goDurationSeconds = (text: string): number | undefined => {
  const value = text.trim();
  if (value === '0') return 0;
  const sign = value.startsWith('-') ? -1 : 1;
  const body = value.replace(/^[-+]/, '');
  if (!/^(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h)(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|ms|s|m|h))*$/.test(body)) return undefined;
  let total = 0;
  for (const [, amount, unit] of body.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) total += Number(amount) * (UNIT_SECONDS[unit ?? 's'] ?? 0);
  return sign * total;
};
