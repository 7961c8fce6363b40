import { useEffect, useState } from 'react';

/** The clock, re-read every `intervalMs` while active (elapsed times during a verify). */
export const useNow = (intervalMs: number, active: boolean): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, active]);
  return now;
};
