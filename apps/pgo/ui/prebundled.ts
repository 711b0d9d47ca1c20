/**
 * The packages the web UI (and its tests) import from node_modules, pre-bundled by vite before the first test
 * runs. A package vite discovers only while tests run makes it re-bundle and reload the page, and the import
 * in flight fails ("Failed to fetch dynamically imported module" — seen on a cold cache on a busy CI machine).
 * src/prebundled.test.ts keeps this list equal to what the UI's files really import.
 */
export const PREBUNDLED = ['lit', 'lit/decorators.js', 'lit/directive.js', '@lit/task', 'axe-core', 'hono/client'];
