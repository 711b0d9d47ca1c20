/** The BSN in a DVZA's free text: every form a person writes it in is hidden, other numbers are kept. */
import { describe, expect, it } from 'vitest';
import { withoutBsnInText } from './no-bsn.js';

describe('withoutBsnInText', () => {
  it('hides a BSN however it is grouped: nine digits, 3-3-3, 4-2-3, any spaces, dots, dashes, underscores, slashes', () => {
    for (const form of [
      '999911120',
      '999 911 120',
      '999.911.120',
      '999-911-120',
      '9999.11.120',
      '9999 11 120',
      '999\u00a0911\u00a0120',
      '999_911_120',
      '999/911/120',
      '999  911  120',
      '999 - 911 - 120',
      '999.911 120',
      '９９９９１１１２０',
    ])
      expect(withoutBsnInText(`patient ${form} unknown`), form).toBe('patient [BSN] unknown');
    expect(withoutBsnInText('999911120,999911120')).toBe('[BSN],[BSN]');
  });

  it('keeps numbers that are no BSN: the 11-proef fails, or more digits', () => {
    for (const text of ['Volgnummer 123456789', 'id 9999111200', 'at 1999911120', '999 911 1200', 'HTTP 403', 'at 2026-06-01T08:15:00Z'])
      expect(withoutBsnInText(text), text).toBe(text);
  });
});
