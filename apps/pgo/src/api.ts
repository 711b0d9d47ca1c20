/** The PGO's API contract lives in packages/pgo-api (the server, its UI, the scenario runner and the tests share it). */
export type * from '@medmij-sandbox/pgo-api';
