/** The consent page as the flow driver reads it: which form it posts, with which flow id, boxes and answer. */
import { describe, expect, it } from 'vitest';
import { consentAnswer, isConsentPage } from './flow.js';

// The parts of the reference DVZA's consent page the driver reads (apps/dvza pages.ts consentPage).
const page15 = `<form method="post" action="/oauth/consent?flow=f1&amp;lang=nl"><input type="hidden" name="flow" value="f1">
<input type="hidden" name="lang" value="nl"><button name="toestemming" value="ja">Ja</button><button name="toestemming" value="nee">Nee</button></form>`;
const page2 = `<form method="post" action="/oauth/consent?flow=f2"><input type="hidden" name="flow" value="f2">
<label><input type="checkbox" name="gegevensdienst" value="48" checked> BgZ</label><br>
<label><input type="checkbox" name="gegevensdienst" value="49" checked> Huisartsgegevens</label><br>
<p><label><input type="checkbox" name="langdurig" value="ja"> Langdurig</label></p>
<button name="toestemming" value="ja">Ja</button></form>`;

describe('the answer to a consent page', () => {
  it('1.5: the form action, the flow id and the answer', () => {
    expect(isConsentPage(page15)).toBe(true);
    expect(consentAnswer(page15, { consent: 'nee' })).toEqual({
      action: '/oauth/consent?flow=f1&lang=nl',
      flow: 'f1',
      form: { flow: 'f1', lang: 'nl', toestemming: 'nee' },
    });
  });

  it('2: the boxes the page ticks, or those chosen; long-lived consent only when asked and offered', () => {
    expect(consentAnswer(page2, { consent: 'ja' }).form).toEqual({ flow: 'f2', lang: 'nl', gegevensdienst: ['48', '49'], toestemming: 'ja' });
    expect(consentAnswer(page2, { consent: 'ja', gegevensdiensten: ['49'], longLived: true }).form).toEqual({
      flow: 'f2',
      lang: 'nl',
      gegevensdienst: ['49'],
      langdurig: 'ja',
      toestemming: 'ja',
    });
    expect(consentAnswer(page15, { consent: 'ja', longLived: true }).form).not.toHaveProperty('langdurig');
  });

  it('another page is no consent page; a consent form without a flow id is a clear error', () => {
    expect(isConsentPage('<form method="post" action="/login"><input name="session" value="s"></form>')).toBe(false);
    expect(() => consentAnswer('<form method="post" action="/x"><button name="toestemming" value="ja"></button></form>', { consent: 'ja' })).toThrow(
      /the consent page names no flow/,
    );
  });
});
