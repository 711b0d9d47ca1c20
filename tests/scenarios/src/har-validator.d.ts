/** har-validator ships no types: the one call these tests make (its promise API, lib/promise.js). */
declare module 'har-validator' {
  /** Resolves with the HAR itself when it is valid; rejects with a HARError whose `errors` are ajv's. */
  export function har<T>(data: T): Promise<T>;
}
