/** How the tests start Chromium (no imports: the PGO's vitest config reads this file as it is). */
/** Debian's Chromium, where the browser tests drive it (`CHROMIUM_PATH` to use another). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * How every test starts Chromium: headless as root, and with nothing of its own reaching out (without the
 * background-networking flags Chromium tries Google's hosts at every start, which this closed network refuses).
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
