/**
 * Does a variable name look like it holds a secret? Like BuildKit's SecretsUsedInArgOrEnv it looks
 * at words of the name (split on "_", "-" and camelCase), but it also treats names that say where a
 * secret is (…_FILE, …_PATH, …_URL, …_ID…) or that it is public (PUBLIC_KEY) as harmless.
 */

const SECRET_WORDS = new Set([
  'token',
  'secret',
  'secrets',
  'password',
  'passwd',
  'pwd',
  'pword',
  'passphrase',
  'apikey',
  'credential',
  'credentials',
  'privatekey',
  'accesskey',
  'secretkey',
]);
/** "KEY" alone is too common (CACHE_KEY, SORT_KEY); it counts after these words. */
const KEY_PREFIXES = new Set(['api', 'private', 'access', 'secret', 'signing', 'encryption', 'client', 'master', 'auth']);
/** Last words that describe a secret's location or metadata, not the secret itself. */
const HARMLESS_LAST = new Set([
  'file',
  'path',
  'dir',
  'url',
  'uri',
  'endpoint',
  'host',
  'name',
  'header',
  'id',
  'ttl',
  'expiry',
  'expires',
  'length',
  'type',
  'mode',
  'env',
  'enabled',
  'required',
  'format',
]);

export const nameWords = (name: string): string[] =>
  name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .split(/[_\-.]+/)
    .map((w) => w.toLowerCase())
    .filter((w) => w !== '');

export const looksLikeSecretName = (name: string): boolean => {
  const words = nameWords(name);
  const last = words[words.length - 1];
  if (words.length === 0 || (last !== undefined && HARMLESS_LAST.has(last)) || words.includes('public')) return false;
  if (words.some((w) => SECRET_WORDS.has(w))) return true;
  // Words that run together: PRIVATE_KEY, API_KEY, DB_PASS.
  for (let i = 1; i < words.length; i++) {
    if (words[i] === 'key' && KEY_PREFIXES.has(words[i - 1] ?? '')) return true;
  }
  return last === 'pass';
};

/** `${VAR}`, `${VAR:?message}`, `$VAR` and `$$` (an escaped `$`) removed: what is left was written literally. */
export const literalPart = (value: string): string =>
  value
    .replace(/\$\$/g, '')
    .replace(/\$\{[^}]*\}/g, '')
    .replace(/\$[A-Za-z_][A-Za-z0-9_]*/g, '');

/** `${VAR:-default}` / `${VAR-default}`: a non-empty default is a value written into the file. */
export const DEFAULTED = /\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]+)\}/;

/**
 * `scheme://user:password@host` with a password that is not a variable reference: a secret
 * whatever the variable is called (DATABASE_URL, REDIS_URL...).
 */
export const urlPassword = (value: string): boolean => {
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:([^@/\s]+)@/i.exec(value.trim());
  const password = match?.[1];
  return password !== undefined && (literalPart(password) !== '' || DEFAULTED.test(password));
};

/** Token formats a provider gives its keys: a secret whatever its variable is called (STRIPE_KEY, SLACK_HOOK...). */
const TOKEN_FORMATS: readonly (readonly [RegExp, string])[] = [
  [/^[sr]k_(live|test)_[0-9A-Za-z]{10,}/, 'Stripe'],
  [/^(ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{20,}/, 'GitHub'],
  [/^github_pat_[0-9A-Za-z_]{20,}/, 'GitHub'],
  [/^glpat-[0-9A-Za-z_-]{20,}/, 'GitLab'],
  [/^xox[abposr]-[0-9A-Za-z-]{10,}/, 'Slack'],
  [/^AKIA[0-9A-Z]{16}$/, 'AWS'],
  [/^AIza[0-9A-Za-z_-]{35}$/, 'Google'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'PEM'],
];

/** `user:password@tcp(host:3306)/db` (Go's MySQL driver) with a password that is not a variable reference. */
const dsnPassword = (value: string): boolean => {
  const password = /^[^:@\s/]+:([^@\s]+)@(tcp|unix|udp)\(/.exec(value.trim())?.[1];
  return password !== undefined && literalPart(password) !== '';
};

/** A credential written in a value: a URL or DSN with a password, or a provider's token format. */
export type Credential = { readonly kind: 'url' | 'dsn' } | { readonly kind: 'token'; readonly provider: string };

export const credentialIn = (value: string): Credential | undefined => {
  if (urlPassword(value)) return { kind: 'url' };
  if (dsnPassword(value)) return { kind: 'dsn' };
  const text = value.trim().replace(/^["']|["']$/g, '');
  const token = TOKEN_FORMATS.find(([re]) => re.test(text));
  return token ? { kind: 'token', provider: token[1] } : undefined;
};
