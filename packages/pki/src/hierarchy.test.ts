import { describe, expect, it } from 'vitest';
import { leafSubject } from './hierarchy.js';

describe("a participant's certificate subject", () => {
  it('marks the organisation "(sandbox)" once, also when its name already says so', () => {
    expect(leafSubject('dekroon.dvza.localhost', 'Huisartsenpraktijk De Kroon').O).toBe('Huisartsenpraktijk De Kroon (sandbox)');
    expect(leafSubject('tvs.localhost', 'Toegangsverleningservice (sandbox)').O).toBe('Toegangsverleningservice (sandbox)');
    expect(leafSubject('tvs.localhost', 'Toegangsverleningservice (sandbox)')).toMatchObject({
      CN: 'tvs.localhost',
      OU: expect.stringContaining('NOT FOR PRODUCTION'),
    });
  });
});
