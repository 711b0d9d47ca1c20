import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '@medmij-sandbox/network/testing';
import { CONTROL_ACTIONS, ensureControlToken, readControlToken, wireBody } from './contract.js';

describe('the stelselnode control contract', () => {
  it('sends every field as a string: gegevensdiensten comma-separated', () => {
    expect(
      wireBody('add', { role: 'dvza', zorgaanbiedernaam: 'x@medmij', authorizeUrl: 'a', tokenUrl: 't', fhirUrl: 'f', gegevensdiensten: ['1', '4'] }),
    ).toEqual({ role: 'dvza', zorgaanbiedernaam: 'x@medmij', authorizeUrl: 'a', tokenUrl: 't', fhirUrl: 'f', gegevensdiensten: '1,4' });
    expect(wireBody('fault', { list: 'Whitelist', fault: 'malformed' })).toEqual({ list: 'Whitelist', fault: 'malformed' });
    expect(CONTROL_ACTIONS).toContain('reset');
  });

  it('the stelselnode makes its token once (readable by its owner only); callers read it, or hear it never ran', () => {
    const file = join(tempDir(), 'stelselnode', 'control-token');
    expect(() => readControlToken(file)).toThrow(/the stelselnode has never run here/);
    const token = ensureControlToken(file);
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(ensureControlToken(file)).toBe(token);
    writeFileSync(file, `${token}\n`);
    expect(readControlToken(file)).toBe(token);
  });
});
