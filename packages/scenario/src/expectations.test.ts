/** The checks of a run's answers: the last raw answer (what it must and must not show) and the person's PGO account. */
import { describe, expect, it } from 'vitest';
import { accountCheck, answerCheck } from './expectations.js';

const refusalPage =
  '<!doctype html><html lang="nl"><head><title>Geweigerd — Huisartsenpraktijk De Kroon</title></head><body><p role="alert">Geen toestemmingsvraag open.</p></body></html>';
const consentPage =
  '<!doctype html><html lang="nl"><head><title>Toestemming geven — Huisartsenpraktijk De Kroon</title></head><body><p class="note">Ingelogd als Lilian Groen.</p></body></html>';

describe('the last raw answer', () => {
  const want = { status: 400, contains: 'Geen toestemmingsvraag open', lacks: ['Lilian Groen', 'Ingelogd als'] };

  it('holds when the status and the text are right and nothing it must lack is shown', () => {
    const c = answerCheck(want, { status: 400, text: refusalPage });
    expect(c.ok).toBe(true);
    expect(c.what).toBe('answer: HTTP 400 containing "Geen toestemmingsvraag open" without "Lilian Groen", "Ingelogd als"');
    expect(c.message).toBe('HTTP 400: an HTML page titled "Geweigerd — Huisartsenpraktijk De Kroon": "Geen toestemmingsvraag open."');
  });

  it('fails, naming what the page shows, when a text it must lack is there', () => {
    const c = answerCheck({ status: 200, lacks: want.lacks }, { status: 200, text: consentPage });
    expect(c.ok).toBe(false);
    expect(c.message).toBe('HTTP 200: an HTML page titled "Toestemming geven — Huisartsenpraktijk De Kroon"; it shows "Lilian Groen", "Ingelogd als"');
  });

  it('fails on another status, a missing text, or no answer at all', () => {
    expect(answerCheck(want, { status: 200, text: refusalPage }).ok).toBe(false);
    expect(answerCheck(want, { status: 400, text: 'Bad Request' }).ok).toBe(false);
    expect(answerCheck(want, undefined)).toMatchObject({ ok: false, message: 'no answer recorded' });
    // Without contains or lacks: the status alone.
    expect(answerCheck({ status: 400 }, { status: 400, text: consentPage }).ok).toBe(true);
  });
});

describe("the person's PGO account", () => {
  it('holds exactly the number of collections with data expected; an account not read fails', () => {
    expect(accountCheck({ collected: 0 }, 0, false)).toEqual({ what: "the person's PGO account gained 0 collection(s) with data", ok: true, message: '0' });
    expect(accountCheck({ collected: 0 }, 1, false)).toMatchObject({ ok: false, message: '1' });
    expect(accountCheck({ collected: 0 }, undefined, false)).toMatchObject({ ok: false, message: 'the account was not read' });
    // An outside PGO's account is what it says of itself: shown, but no evidence.
    expect(accountCheck({ collected: 1 }, 1, true)).toMatchObject({
      ok: true,
      selfReported: true,
      what: "the person's PGO account gained 1 collection(s) with data (its own account)",
    });
  });
});
