import { describe, expect, it } from 'vitest';
import { parseRoute } from '../src/router.ts';

describe('hash routes', () => {
  it('knows home and a collection (where the OAuth flow returns); the inspector and scenarios are the console’s', () => {
    expect(parseRoute('')).toEqual({ name: 'home' });
    expect(parseRoute('#/')).toEqual({ name: 'home' });
    expect(parseRoute('#/?reason=login_required')).toEqual({ name: 'home', reason: 'login_required' });
    expect(parseRoute('#/collection/abc-123')).toEqual({ name: 'collection', id: 'abc-123' });
    expect(parseRoute('#/inspector')).toEqual({ name: 'notfound', hash: '#/inspector' });
    expect(parseRoute('#/scenarios')).toEqual({ name: 'notfound', hash: '#/scenarios' });
    expect(parseRoute('#/elders')).toEqual({ name: 'notfound', hash: '#/elders' });
  });
});
