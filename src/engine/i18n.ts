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

const WIDE = /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/; // CJK characters and full-width forms
const FULL_WIDTH_PUNCTUATION = /[\u3000-\u303F\uFF00-\uFFEF]/;
const ALNUM = /[A-Za-z0-9]/;

/**
 * What goes between two pieces of text joined where Chinese may meet (the one spacing rule): nothing
 * next to full-width punctuation or between two Chinese characters, a space between Chinese and a
 * Latin letter or digit, else `otherwise` (' ' between English words, '' between Chinese sentences).
 */
export const cjkGlue = (before: string, after: string, otherwise: string): string => {
  const a = before.slice(-1);
  const b = after.slice(0, 1);
  if (FULL_WIDTH_PUNCTUATION.test(a) || FULL_WIDTH_PUNCTUATION.test(b)) return '';
  if (WIDE.test(a) && WIDE.test(b)) return '';
  if ((WIDE.test(a) && ALNUM.test(b)) || (ALNUM.test(a) && WIDE.test(b))) return ' ';
  return otherwise;
};
