import { networkInterfaces } from 'node:os';

/**
 * Where the server listens when the instructor does not say: the machine's first non-internal IPv4
 * address (the one learners on the same Wi-Fi can reach), else loopback. Never 0.0.0.0 by
 * default: the instructor sees exactly which network the room is open on.
 */
export const defaultWorkshopHost = (interfaces = networkInterfaces()): string => {
  for (const addresses of Object.values(interfaces)) {
    for (const a of addresses ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
};
