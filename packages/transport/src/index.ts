export * from './server.js';
export * from './client.js';
export { peerOf, tlsPeer, type TlsPeerEnv } from './peer.js';
