/**
 * State anyone can make a participant keep — a login session, an authorization flow, a pending request — is swept
 * when it expires on the sandbox clock, and that clock may stand still for a whole workshop. So every such map also
 * has a size cap: when it is full, the oldest entry (the first put in) makes room.
 */

/** Puts `key` → `value` into `map`, first dropping the oldest entries while it holds `max` or more. */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (!map.has(key)) while (map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
}

/** How many of one kind of such state a participant keeps at most: far more than a workshop makes while it runs. */
export const MAX_OPEN_STATE = 10_000;
