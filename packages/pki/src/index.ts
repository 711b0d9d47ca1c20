export * from './hierarchy.js';
export * from './store.js';
export * from './tls.js';
export * from './x509.js';
export * from './topology-hosts.js';
export * from './ocsp.js';
export * from './signer.js';
