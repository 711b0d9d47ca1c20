import { pageCspNeeds } from '@medmij-sandbox/transport/testing';
import { describe, expect, it } from 'vitest';
import { PAGE_CSP, errorPage, landingPage } from './pages.js';

describe('the pages and their Content-Security-Policy', () => {
  it('allow exactly the inline <style> the pages carry (by its hash), no script, no framing', async () => {
    for (const page of [
      await errorPage({ lang: 'nl', zorgaanbieder: 'De Kroon', error: 'invalid_request', reason: 'x', toggleHref: '?lang=en' }),
      await landingPage({
        lang: 'en',
        zorgaanbieder: 'De Kroon',
        pgo: 'PGO',
        gegevensdiensten: ['BgZ'],
        digidHref: '/digid',
        cancelHref: '/cancel',
        toggleHref: '?lang=nl',
      }),
    ].map(String)) {
      const needs = pageCspNeeds(page);
      expect(needs.styleSources).toHaveLength(1);
      // The hash of what the browser gets, computed here: the CSP must name it.
      expect(PAGE_CSP).toContain(`style-src ${needs.styleSources[0]}`);
      expect(needs.scripted).toBe(false);
    }
    expect(PAGE_CSP).toMatch(/^default-src 'none'; /);
    expect(PAGE_CSP).toContain("frame-ancestors 'none'");
    expect(PAGE_CSP).not.toContain('unsafe-inline');
  });
});
