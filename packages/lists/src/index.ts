export * from './kinds.js';
export * from './model.js';
export * from './xml.js';
export * from './validate.js';
export * from './generate.js';
export * from './consumer.js';
export * from './signature.js';
export * from './enrolments.js';
