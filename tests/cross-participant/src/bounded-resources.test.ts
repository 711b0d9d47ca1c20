/**
 * Issue 16, bounded resources, over the real network as `npm start` runs it (startNetwork): certificate-less
 * handshakes at a DVZA's mutual-TLS back channel grow the trace by a few lines, however many; the trace file
 * rotates at its cap; the console's inspector stream sends a new client the latest window only, and drops a client
 * that does not read instead of queueing for it without bound.
 */
import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { connect, type TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  OperatorAccess,
  SandboxClock,
  backchannelUrl,
  frontchannelUrl,
  participantsByRole,
  readTraceFile,
  rotatedTracePath,
  sandboxLookup,
  sandboxPaths,
} from '@medmij-sandbox/network';
import { tempDir, writeTestTopology } from '@medmij-sandbox/network/testing';
import { startNetwork, type RunningNetwork } from '@medmij-sandbox/cli';

const MAX_BYTES = 1024 * 1024;

describe('bounded resources on a running network', () => {
  const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
  let network: RunningNetwork;
  let paths: ReturnType<typeof sandboxPaths>;

  beforeAll(async () => {
    const dir = tempDir();
    const { path } = await writeTestTopology(dir, { referenceDate: '2026-06-01', console: true });
    appendFileSync(path, `trace:\n  maxBytes: ${MAX_BYTES}\n  streamWindow: 50\n  streamQueue: 100\n`);
    paths = sandboxPaths(dir);
    network = await startNetwork({ topologyPath: path, paths, clock });
  });
  afterAll(async () => {
    await network?.close();
  });

  /** A raw TLS connection without a client certificate (what anyone who reaches the port can open). */
  const open = (host: string, port: number) => connect({ host, port, servername: host, ca: readFileSync(network.pki.rootCertPath), lookup: sandboxLookup() });

  it('300 handshakes without a client certificate: one traced in full, the rest counted in one line', async () => {
    const dvza = participantsByRole(network.topology, 'dvza')[0]!;
    const { hostname, port } = new URL(backchannelUrl(dvza)!);
    const before = statSync(paths.trace).size;
    const once = () =>
      new Promise<void>((resolve) => {
        const socket: TLSSocket = open(hostname, Number(port));
        socket.on('secureConnect', () => socket.end('GET /fhir/Patient HTTP/1.1\r\nhost: x\r\n\r\n'));
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
        socket.resume();
      });
    for (let i = 0; i < 300; i++) await once();
    const refusals = () => network.bus.events((e) => e.reportedBy === dvza.hostname && e.kind === 'tls' && e.tls?.verdict === 'NO_CLIENT_CERTIFICATE');
    expect(refusals()).toHaveLength(1);
    expect(refusals()[0]!.ruleId).toBe('transport.tls.client-certificate-refused');
    // The minute of sandbox time is over: the next refusal says what was counted, and is traced in full itself.
    clock.shift('61s');
    await once();
    const [, summary, next] = refusals();
    expect(summary).toMatchObject({
      ruleId: 'transport.tls.refusals-counted',
      outcome: 'refused',
      from: '127.0.0.1',
      params: { count: 299, verdict: 'NO_CLIENT_CERTIFICATE' },
    });
    expect(summary!.reason).toBe(
      '299 more handshake(s) refused for the same reason (NO_CLIENT_CERTIFICATE) from 127.0.0.1 in the minute of sandbox time since 2026-06-01T10:00:00.000Z: counted, not traced one by one',
    );
    expect(next!.ruleId).toBe('transport.tls.client-certificate-refused');
    // Three lines for 301 handshakes (the bench's 10,000 grew the trace by 6.5 MB before); each line ~1.4 KB with its
    // causal fields (id, start, end).
    expect(statSync(paths.trace).size - before).toBeLessThan(6 * 1024);
  }, 120_000);

  /** The console's trace stream over real HTTPS, as the viewer operator; the raw socket, so a test can stop reading. */
  const stream = () => {
    const sandboxConsole = participantsByRole(network.topology, 'console')[0]!;
    const { hostname, port } = new URL(frontchannelUrl(sandboxConsole)!);
    const token = new OperatorAccess(paths.operator).tokens().viewer;
    const socket = open(hostname, Number(port));
    socket.on('secureConnect', () =>
      socket.write(`GET /api/trace/stream HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${token}\r\naccept: text/event-stream\r\n\r\n`),
    );
    let text = '';
    socket.on('data', (d: Buffer) => (text += d.toString('utf8')));
    const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    return { socket, text: () => text, ended };
  };
  const big = (i: number) => ({
    reportedBy: 'sandbox',
    from: 'sandbox',
    to: 'sandbox',
    kind: 'decision' as const,
    outcome: 'ok' as const,
    reason: `filler ${i}`,
    body: 'x'.repeat(32 * 1024),
  });

  it('a slow inspector client is dropped instead of queued for without bound; the trace file rotates at its cap', async () => {
    const slow = stream();
    await new Promise<void>((resolve) => slow.socket.once('data', () => resolve()));
    slow.socket.pause(); // reads nothing more
    // 32 MB of events: more than the socket's buffers hold, far more than the 100 the queue may keep.
    for (let i = 0; i < 1000; i++) network.bus.emit(big(i));
    slow.socket.resume();
    await slow.ended; // the server closed the stream
    const received = slow
      .text()
      .split('\n')
      .filter((l) => l.startsWith('event: trace')).length;
    expect(received).toBeLessThan(1000);
    // Rotated: the file and its one older part stay near the cap, the newest events are all there.
    expect(statSync(paths.trace).size).toBeLessThan(MAX_BYTES + 64 * 1024);
    expect(statSync(rotatedTracePath(paths.trace)).size).toBeLessThan(MAX_BYTES + 64 * 1024);
    const kept = readTraceFile(paths.trace, { withOlder: true });
    expect(kept.at(-1)!.reason).toBe('filler 999');
    expect(kept.every((e, i) => i === 0 || e.seq === kept[i - 1]!.seq + 1)).toBe(true);
  }, 120_000);

  it('a new inspector client gets the latest window, told that older events were left out', async () => {
    const last = network.bus.events().at(-1)!.seq;
    const client = stream();
    const ids = () => [...client.text().matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
    // The window is sent at once; events that arrive meanwhile (other processes, polls) may shift it on.
    await new Promise<void>((resolve) => {
      const check = () => (ids().length >= 50 ? resolve() : client.socket.once('data', check));
      check();
    });
    client.socket.destroy();
    const window = JSON.parse(/event: window\ndata: (\{[^\n]*\})/.exec(client.text())![1]!) as { olderLeftOut: boolean; firstSeq: number };
    expect(window.olderLeftOut).toBe(true);
    expect(window.firstSeq).toBeGreaterThanOrEqual(last - 49);
    expect(ids().slice(0, 50)).toEqual(Array.from({ length: 50 }, (_, i) => window.firstSeq + i));
  }, 60_000);
});
