import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PAGE_CSP, errorPage, homePage } from './pages.js';

describe('the pages and their Content-Security-Policy', () => {
  it('allow exactly the inline <style> the pages carry (by its hash), no script, no framing', async () => {
    for (const page of [await errorPage('nl', 'x', '?lang=en'), await homePage('en', [], '?lang=nl')].map(String)) {
      const styles = [...page.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
      expect(styles).toHaveLength(1);
      // The hash of what the browser gets, computed here: the CSP must name it.
      const digest = createHash('sha256').update(styles[0]!, 'utf8').digest('base64');
      expect(PAGE_CSP).toContain(`style-src 'sha256-${digest}'`);
      expect(page).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    }
    expect(PAGE_CSP).toMatch(/^default-src 'none'; /);
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(PAGE_CSP).not.toContain('unsafe-inline');
  });
});
