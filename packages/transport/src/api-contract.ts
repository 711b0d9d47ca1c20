/**
 * A compile-time check that a web UI's JSON API (a Hono app) serves exactly its contract (the schema in the
 * package both the server and the UI's client import, as packages/pgo-api and packages/console-api). Use it
 * as the type of one constant, never read:
 *
 *   export const servedAsContracted: ServedAsContracted<PgoJsonApi, PgoApiSchema> = true;
 *
 * `true` fits only when every answer of every route fits the contract and every route of the contract is
 * served; otherwise the type is the drifted paths, and `npm run typecheck` names them.
 */
import type { Hono, Schema } from 'hono';

type SchemaOf<A> = A extends Hono<any, infer S, any> ? S : never;
type Answers<E> = E extends { output: infer O; status: infer S } ? { output: O; status: S } : never;

/** The paths whose served answers the contract does not allow (or that the contract does not have). */
type Drifted<Served extends Schema, Contract extends Schema> = {
  [P in keyof Served]: {
    [M in keyof Served[P]]: P extends keyof Contract
      ? M extends keyof Contract[P]
        ? Answers<Served[P][M]> extends Answers<Contract[P][M]>
          ? never
          : P
        : P
      : P;
  }[keyof Served[P]];
}[keyof Served];
/** The contract's paths no route serves. */
type Unserved<Served extends Schema, Contract extends Schema> = Exclude<keyof Contract, keyof Served>;

type Problems<App, Contract extends Schema> = Drifted<SchemaOf<App>, Contract> | Unserved<SchemaOf<App>, Contract>;

/** `true` when the app serves its contract exactly; else the paths that drifted. */
export type ServedAsContracted<App, Contract extends Schema> = [Problems<App, Contract>] extends [never] ? true : Problems<App, Contract>;
