/**
 * Whether a host names this machine's loopback (localhost, ::1, 127.0.0.0/8), bracketed IPv6 or
 * not. Inside a BuildKit RUN, or from another laptop, such an address is never this machine.
 */
export const isLoopbackHost = (host: string): boolean => {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\./.test(h);
};
