import { describe, expect, it } from 'vitest';
import { parseRoute, scenarioHash } from '../src/router.ts';

describe('hash routes of the console', () => {
  it('opens on the inspector, of all flows or of one', () => {
    expect(parseRoute('')).toEqual({ name: 'inspector' });
    expect(parseRoute('#/')).toEqual({ name: 'inspector' });
    expect(parseRoute('#/inspector')).toEqual({ name: 'inspector' });
    expect(parseRoute('#/inspector/t-1')).toEqual({ name: 'inspector', traceId: 't-1' });
    expect(parseRoute('#/trace')).toEqual({ name: 'trace' });
    expect(parseRoute('#/collection/abc')).toEqual({ name: 'notfound', hash: '#/collection/abc' });
  });

  it('knows the scenario catalogue, a run’s result and presenter mode', () => {
    expect(parseRoute('#/scenarios')).toEqual({ name: 'scenarios' });
    expect(parseRoute('#/scenarios/patient-under-16')).toEqual({ name: 'scenarios', scenario: 'patient-under-16' });
    expect(parseRoute('#/scenarios/patient-under-16/present')).toEqual({ name: 'scenarios', scenario: 'patient-under-16', present: true });
    expect(parseRoute('#/scenarios/a/b')).toEqual({ name: 'notfound', hash: '#/scenarios/a/b' });
    expect(parseRoute(scenarioHash('a b', true))).toEqual({ name: 'scenarios', scenario: 'a b', present: true });
  });
});
