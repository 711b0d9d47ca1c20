export * from './server.js';
export * from './client.js';
export { peerOf, tlsPeer, type TlsPeerEnv } from './peer.js';
export * from './tls-policy.js';
export * from './security-headers.js';
export * from './same-origin.js';
export { REFUSAL_WINDOW_MS, RefusalSummary, type CountedRefusals } from './refusal-summary.js';
