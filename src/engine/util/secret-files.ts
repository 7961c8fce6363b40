import { posix } from 'node:path';

// Shared by image.secret-traces (files in an image) and audit (files a build context would carry).

/** File names that hold keys or credentials (compared lower-cased, on the base name). */
const SECRET_FILE_NAMES = new Set([
  '.env',
  '.netrc',
  '_netrc',
  '.git-credentials',
  '.npmrc',
  '.pypirc',
  '.pgpass',
  'credentials.json',
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
]);
const SECRET_FILE_ENDINGS = ['.pem', '.key', '.p12', '.pfx', '.jks'];
/** `.env.production` is a secret, `.env.example` is its template. */
const TEMPLATE = /\.(example|sample|template|dist|tmpl)$/i;

/** A path whose base name says key or credentials (the measurement keeps only these). */
export const secretFileName = (path: string): boolean => {
  const base = posix.basename(path).toLowerCase();
  if (TEMPLATE.test(base)) return false;
  if (SECRET_FILE_NAMES.has(base) || base.startsWith('.env.')) return true;
  if (posix.basename(posix.dirname(path)) === '.aws' && base === 'credentials') return true;
  if (posix.basename(posix.dirname(path)) === '.docker' && base === 'config.json') return true;
  return SECRET_FILE_ENDINGS.some((end) => base.endsWith(end));
};
