/**
 * A moment as people read it in a note or a line of output: "2026-11-30 08:02 UTC". A text that is
 * no date (an archive's manifest written by hand) is shown as it is.
 */
export const utcMinute = (at: Date | string | number): string => {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? String(at) : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
};
