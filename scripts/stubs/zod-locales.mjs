// Stands in for zod's locales index in the bundle: the course never switches zod's locale (its
// messages are our own, in both languages), and the 40 locales cost 260 KB on every command's start.
// English stays, as zod's default configuration imports it directly.
export { default as en } from 'zod/v4/locales/en.js';
