import type { Action } from './keys.js';

/** New first-visible line after a scroll action, clamped so the last page stays full. */
export const scrollTo = (offset: number, action: Action, total: number, height: number): number => {
  const max = Math.max(0, total - height);
  const page = Math.max(1, height - 1);
  const next = (() => {
    switch (action) {
      case 'scrollUp':
        return offset - 1;
      case 'scrollDown':
        return offset + 1;
      case 'pageUp':
        return offset - page;
      case 'pageDown':
        return offset + page;
      case 'top':
        return 0;
      case 'bottom':
        return max;
      default:
        return offset;
    }
  })();
  return Math.min(max, Math.max(0, next));
};

export const isScroll = (action: Action): boolean =>
  action === 'scrollUp' || action === 'scrollDown' || action === 'pageUp' || action === 'pageDown' || action === 'top' || action === 'bottom';
