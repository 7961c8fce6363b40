/** The room folder `workshop serve`, `export` and `allow` use when not told one: one folder per (UTC) day. */
export const defaultRoomDir = (now: Date): string => `workshop-${now.toISOString().slice(0, 10)}`;
