import { describe, expect, it } from 'vitest';
import { traceHeaders } from './trace-headers.js';

describe('headers on the trace', () => {
  it('hides cookies and all but the start of a bearer token, and keeps the rest as sent', () => {
    expect(
      traceHeaders(
        Object.entries({
          Authorization: 'Bearer abcdef0123456789',
          cookie: 'pgo_session=secret',
          'set-cookie': ['a=1', 'b=2'],
          location: 'https://pgo.localhost:8750/oauth/callback?code=x',
          'x-absent': undefined,
        }),
      ),
    ).toEqual({
      authorization: 'Bearer abcdef… (hidden)',
      cookie: '(cookies hidden)',
      'set-cookie': '(cookies hidden)',
      location: 'https://pgo.localhost:8750/oauth/callback?code=x',
    });
    expect(traceHeaders([['authorization', 'Basic x']])).toEqual({ authorization: '(hidden)' });
  });
});
