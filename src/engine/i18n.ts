/** The two languages every learner-facing string exists in. */
export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];

/** A string in every supported language. Runner messages are built with `L(en, zh)`. */
export interface Localized {
  readonly en: string;
  readonly 'zh-CN': string;
}

/** Builds a localized message; keeping both texts side by side makes a missing translation visible in review. */
export const L = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

export const isLang = (value: string): value is Lang => (LANGS as readonly string[]).includes(value);

/** Picks the language from --lang, then LEARN_GO_DOCKER_LANG, then the locale variables. */
export const detectLang = (flag: string | undefined, env: NodeJS.ProcessEnv = process.env): Lang => {
  if (flag && isLang(flag)) return flag;
  const explicit = env.LEARN_GO_DOCKER_LANG;
  if (explicit && isLang(explicit)) return explicit;
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return /^zh/i.test(locale) ? 'zh-CN' : 'en';
};

/** Fills `{name}` placeholders. */
export const fill = (text: string, params: Readonly<Record<string, string | number>> = {}): string =>
  text.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));

/** Picks one language out of a localized string, with `{name}` placeholders filled. */
export const tr = (message: Localized, lang: Lang, params?: Readonly<Record<string, string | number>>): string => fill(message[lang], params);
