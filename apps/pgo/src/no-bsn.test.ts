/** The BSN in a DVZA's free text: every form a person writes it in is hidden, other numbers are kept. */
import { describe, expect, it } from 'vitest';
import { withoutBsnInText } from './no-bsn.js';

describe('withoutBsnInText', () => {
  it('hides a BSN written as nine digits or in groups of three (space, dot, dash)', () => {
    for (const form of ['999911120', '999 911 120', '999.911.120', '999-911-120'])
      expect(withoutBsnInText(`patient ${form} unknown`), form).toBe('patient [BSN] unknown');
    expect(withoutBsnInText('999911120,999911120')).toBe('[BSN],[BSN]');
  });

  it('keeps numbers that are no BSN: the 11-proef fails, more digits, mixed separators', () => {
    for (const text of ['Volgnummer 123456789', 'id 9999111200', 'at 1999911120', '999.911 120', 'HTTP 403']) expect(withoutBsnInText(text), text).toBe(text);
  });
});
