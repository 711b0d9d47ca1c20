/** Causal order: calls in the order they started, each followed by what it caused. */
import { describe, expect, it } from 'vitest';
import { causalOrder, causalPlacement, type Orderable } from './trace-order.js';

type E = Orderable & { name: string };
const at = (ms: number) => new Date(Date.UTC(2026, 11, 5, 6, 0, 0, ms)).toISOString();

/**
 * A PGO callback as the bus numbers it (by ending): the token request (client report, then the DVZA's server
 * report, then the DVZA's decision) and a FHIR query end before the callback that caused them.
 */
const decisionAtDvza: E = { name: 'dvza decides: code redeemed', seq: 1, id: 'd1', cause: 'tokenServer', start: at(30) };
const tokenServer: E = { name: 'dvza: POST /oauth/token (server report)', seq: 2, id: 'tokenServer', cause: 'tokenClient', start: at(20) };
const tokenClient: E = { name: 'pgo → dvza POST /oauth/token', seq: 3, id: 'tokenClient', cause: 'callback', start: at(10) };
const fhirClient: E = { name: 'pgo → dvza GET /fhir/Patient', seq: 4, id: 'fhir', cause: 'callback', start: at(50) };
const callback: E = { name: 'browser → pgo GET /oauth/callback', seq: 5, id: 'callback', start: at(0) };
const poll: E = { name: 'pgo → stelselnode poll', seq: 6, id: 'poll', start: at(60) };
const trace = [decisionAtDvza, tokenServer, tokenClient, fhirClient, callback, poll];

describe('causalOrder', () => {
  it('puts a cause before its effects, effects in the order they started', () => {
    expect(causalOrder(trace).map((e) => e.name)).toEqual([callback, tokenClient, tokenServer, decisionAtDvza, fhirClient, poll].map((e) => e.name));
    expect(causalPlacement(trace).map((p) => [p.event.seq, p.depth])).toEqual([
      [5, 0],
      [3, 1],
      [2, 2],
      [1, 3],
      [4, 1],
      [6, 0],
    ]);
  });

  it('nests an effect under the nearest shown cause when the one between is hidden', () => {
    // The inspector hides the callee's report of a hop (the caller's shows it): the DVZA's decision then
    // belongs under the PGO's report of the token request.
    const shown = trace.filter((e) => e !== tokenServer);
    const placed = causalPlacement(shown, trace);
    expect(placed.map((p) => [p.event.name, p.depth, p.parent?.name])).toEqual([
      [callback.name, 0, undefined],
      [tokenClient.name, 1, callback.name],
      [decisionAtDvza.name, 2, tokenClient.name],
      [fhirClient.name, 1, callback.name],
      [poll.name, 0, undefined],
    ]);
  });

  it('keeps seq order for events without ids or starts (a trace from before causes were recorded)', () => {
    const old = [3, 1, 2].map((seq) => ({ seq, name: String(seq) }));
    expect(causalOrder(old).map((e) => e.seq)).toEqual([1, 2, 3]);
  });

  it('loses no event, even in a loop of causes', () => {
    const a: E = { name: 'a', seq: 1, id: 'a', cause: 'b', start: at(0) };
    const b: E = { name: 'b', seq: 2, id: 'b', cause: 'a', start: at(1) };
    const c: E = { name: 'c', seq: 3, id: 'c', start: at(2) };
    expect(causalOrder([a, b, c]).map((e) => e.name)).toEqual(['c', 'a', 'b']);
  });
});
