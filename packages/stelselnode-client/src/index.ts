/**
 * The stelselnode's control API: how the sandbox changes the network at runtime (leave a participant off the
 * lists, serve a broken or stale list, roll one back, reset). Not part of MedMij: production has no such API.
 * One home for the contract, imported by the stelselnode (which serves it), the CLI, the scenario runner and
 * the tests (which call it).
 *
 *   GET  /_sandbox/control/status           the publisher's state
 *   POST /_sandbox/control/<action>         JSON body per action (below) → { done: string[], status }
 *                                           or 400/401 { error, message, hint? }
 *
 * Every call carries the bearer token the stelselnode wrote to `.sandbox/stelselnode/control-token` at its
 * first start: whoever can read the sandbox folder can change the network, nobody else.
 */
export * from './contract.js';
export { StelselnodeControl, type ControlClientOptions } from './client.js';
export * from './notification.js';
