/**
 * Builds the console web UI into apps/console/dist/ui; the console server serves index.html at `/` and the
 * bundle under `/assets/`. Run from apps/console: `npx vite build --config ui/vite.config.ts`.
 * Everything is bundled: no CDN, no web fonts, nothing fetched from the internet.
 */
import { defineConfig } from 'vite';

// The folder of this file, without node:url (this tsconfig has DOM types only, no Node types).
const here = (relative: string) => decodeURIComponent(new URL(relative, import.meta.url).pathname);

export default defineConfig({
  root: here('.'),
  base: '/',
  publicDir: false,
  build: {
    outDir: here('../dist/ui'),
    emptyOutDir: true,
    target: 'es2022',
    assetsDir: 'assets',
    // Small SVGs stay files under /assets/ rather than data: URLs (friendlier to a strict CSP).
    assetsInlineLimit: 0,
  },
});
