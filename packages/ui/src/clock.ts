/**
 * The UI's one reading of the browser's own clock. Everything the sandbox decides runs on the sandbox
 * clock on the server (list ages come with the server's `now`); the browser clock only drives what is
 * cosmetic here: the countdown of the demo TOTP code and relative times when the server gave no `now`.
 */
export function browserNow(): number {
  return Date.now();
}
