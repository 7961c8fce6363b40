/**
 * A token bucket per key: `burst` requests at once, then one every `1 / perSecond` seconds. A
 * laptop replaying an hour of queued events fits in the burst; a loop posting without pause does
 * not. The clock is injectable so tests need no sleeps.
 */
export interface RateLimiter {
  /** Whether this request may go ahead (and counts it). */
  take(key: string): boolean;
  /** Whether a request would go ahead now, without counting it. */
  allows(key: string): boolean;
}

export const rateLimiter = (options: { burst: number; perSecond: number; now: () => number; maxKeys?: number }): RateLimiter => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = options.maxKeys ?? 10_000;
  const refill = (key: string): { tokens: number; at: number } => {
    const now = options.now();
    const bucket = buckets.get(key) ?? { tokens: options.burst, at: now };
    return { tokens: Math.min(options.burst, bucket.tokens + ((now - bucket.at) / 1000) * options.perSecond), at: now };
  };
  return {
    allows: (key) => refill(key).tokens >= 1,
    take: (key) => {
      const bucket = refill(key);
      // Bounded memory: a flood of made-up keys forgets the oldest (a forgotten key starts full, as a new one).
      if (!buckets.has(key) && buckets.size >= maxKeys) buckets.delete(buckets.keys().next().value as string);
      buckets.set(key, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
  };
};
