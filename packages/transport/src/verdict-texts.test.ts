import { describe, expect, it } from 'vitest';
import { VERDICT_EXPLANATIONS } from '@medmij-sandbox/pki';
import { TRANSPORT, VERDICT_EXPLANATIONS_NL, say, said } from '@medmij-sandbox/rules';

describe('certificate verdicts in both languages', () => {
  it("the rule catalogue's Dutch covers every verdict the PKI explains in English", () => {
    expect(Object.keys(VERDICT_EXPLANATIONS_NL).sort()).toEqual(Object.keys(VERDICT_EXPLANATIONS).sort());
  });

  it('a refused server certificate says its verdict in the language asked', () => {
    const s = said(TRANSPORT.serverCertificateRefused, {
      to: 'dekroon.dvza.localhost',
      code: 'CERT_HAS_EXPIRED',
      explanation: VERDICT_EXPLANATIONS.CERT_HAS_EXPIRED!,
    });
    expect(say(s, 'nl')).toBe('servercertificaat van dekroon.dvza.localhost geweigerd: CERT_HAS_EXPIRED (de geldigheidsduur van het certificaat is voorbij)');
    expect(say(s, 'en')).toBe('refused the server certificate of dekroon.dvza.localhost: CERT_HAS_EXPIRED (the certificate validity period has ended)');
  });
});
