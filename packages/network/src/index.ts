export * from './clock.js';
export * from './random.js';
export * from './trace.js';
export * from './topology.js';
export * from './resolve.js';
export * from './errors.js';
export * from './paths.js';
