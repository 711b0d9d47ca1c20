/**
 * A compile-time check (one constant, never read): every answer the console's JSON API routes give (json-api.ts) fits the
 * contract in packages/console-api, and every route of the contract is served. `npm run typecheck` fails with
 * the path of the route that drifted.
 */
import type { Hono, Schema } from 'hono';
import type { ConsoleApiSchema } from '@medmij-sandbox/console-api';
import type { ConsoleJsonApi } from './json-api.js';

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

type Served = SchemaOf<ConsoleJsonApi>;
export const servedAsContracted: [Drifted<Served, ConsoleApiSchema> | Unserved<Served, ConsoleApiSchema>] extends [never]
  ? true
  : Drifted<Served, ConsoleApiSchema> | Unserved<Served, ConsoleApiSchema> = true;
