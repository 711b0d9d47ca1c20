export * from './browser.js';
export * from './schema.js';
export * from './runner.js';
export * from './report.js';
