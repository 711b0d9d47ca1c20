/**
 * Headers as the trace writes them down (both ends of a hop report them): what a reader needs to see, never what
 * would let someone use a session or token. Cookies are hidden; of a bearer token, only its first characters.
 */

/** Request or answer headers, in lower case, as the trace shows them. */
export function traceHeaders(headers: Iterable<[string, string | readonly string[] | undefined]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of headers) {
    if (raw === undefined) continue;
    const key = name.toLowerCase();
    const value = typeof raw === 'string' ? raw : raw.join(', ');
    if (key === 'cookie' || key === 'set-cookie') out[key] = '(cookies hidden)';
    // Enough of a bearer token to tell two apart in the inspector, not enough to use it.
    else if (key === 'authorization') out[key] = /^\S+\s+\S{6}\S*$/.test(value) ? value.replace(/^(\S+\s+)(\S{6})\S*$/, '$1$2… (hidden)') : '(hidden)';
    else out[key] = value;
  }
  return out;
}
