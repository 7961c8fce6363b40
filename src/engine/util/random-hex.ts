/**
 * Made-up lower-case hex (ids, URLs, trace ids) a check sends so its traces in metrics and logs
 * are its own. Not for secrets: Math.random keeps node:crypto off the Docker checks' load path.
 */
export const randomHex = (digits: number): string => {
  let out = '';
  while (out.length < digits) out += Math.floor(Math.random() * 16).toString(16);
  return out;
};
