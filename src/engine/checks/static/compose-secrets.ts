import { DEFAULTED, literalPart, looksLikeSecretName, urlPassword } from '../../dockerfile/secrets.js';
import { asString, isMap, type YamlLocator, type YamlMap } from './yaml-file.js';

/**
 * Literal secrets written into a compose file's `environment:` (compose.valid). compose.yaml is
 * committed, so a password in it is in git: secrets come from `.env` (env_file, or `${VAR}`
 * interpolation), or from `secrets:` files (`*_FILE` variables). Pure.
 */
export interface InlineSecret {
  readonly service: string;
  readonly name: string;
  /** Why the value counts as a written secret. */
  readonly kind: 'value' | 'default' | 'url';
  readonly line: number | undefined;
}

/** The service's environment as name -> value (null: passed through from the shell), with each entry's path. */
const environmentOf = (service: YamlMap): { name: string; value: string | null; path: (string | number)[] }[] => {
  const env = service.environment;
  if (Array.isArray(env)) {
    return env.map((entry, index) => {
      const text = asString(entry);
      const eq = text.indexOf('=');
      return { name: eq < 0 ? text : text.slice(0, eq), value: eq < 0 ? null : text.slice(eq + 1), path: ['environment', index] };
    });
  }
  if (!isMap(env)) return [];
  return Object.entries(env).map(([name, value]) => ({
    name,
    value: value === null || value === undefined ? null : asString(value),
    path: ['environment', name],
  }));
};

export const inlineSecrets = (services: YamlMap, where: YamlLocator): InlineSecret[] =>
  Object.entries(services).flatMap(([service, raw]) => {
    if (!isMap(raw)) return [];
    return environmentOf(raw).flatMap(({ name, value, path }): InlineSecret[] => {
      if (value === null || value.trim() === '') return [];
      const line = where.lineOf(['services', service, ...path]);
      if (looksLikeSecretName(name)) {
        if (literalPart(value).trim() !== '') return [{ service, name, kind: 'value', line }];
        if (DEFAULTED.test(value)) return [{ service, name, kind: 'default', line }];
        return [];
      }
      return urlPassword(value) ? [{ service, name, kind: 'url', line }] : [];
    });
  });
