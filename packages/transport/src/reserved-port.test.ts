/** A listener on a port this process reserved takes the held socket over; closing gives the port back or frees it. */
import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxClock, TraceBus } from '@medmij-sandbox/network';
import { releasePorts, reservePorts } from '@medmij-sandbox/network/testing';
import { hop, HopError } from './client.js';
import { listen } from './server.js';

describe('listeners on reserved ports', () => {
  const clock = SandboxClock.frozenAt('2026-06-01T10:00:00Z');
  const bus = new TraceBus(clock);
  const start = (port: number, answer: string) =>
    listen({ participant: { id: 'pki', hostname: 'pki.localhost' }, kind: 'http', port, bus, clock, fetch: () => new Response(answer) });
  const call = (port: number) => hop(`http://pki.localhost:${port}/`, { from: 'test', clock }).then((r) => r.text());
  const failure = (port: number) =>
    call(port).then(
      () => 'answered',
      (e: HopError) => e.code,
    );
  afterAll(() => releasePorts());

  it('serves on the held socket, keeps the port for the next network, and frees it on a plain close', async () => {
    const [port] = await reservePorts(1);
    const first = await start(port!, 'first network');
    expect(first.port).toBe(port);
    expect(await call(port!)).toBe('first network');
    await first.close({ keepPort: true });
    // Still held by this process: nothing answers, and nobody else could bind it meanwhile.
    expect(await failure(port!)).toBe('ECONNRESET');
    const second = await start(port!, 'second network');
    expect(await call(port!)).toBe('second network');
    await second.close();
    expect(await failure(port!)).toBe('ECONNREFUSED');
  });

  it('drops a kept-alive connection when it closes: a closed participant answers no one', async () => {
    const [port] = await reservePorts(1);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<string>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
    const first = await start(port!, 'first network');
    expect(await get()).toBe('first network');
    await first.close({ keepPort: true });
    // Whether over the kept-alive connection or a new one: the closed network answers nothing any more.
    await expect(get()).rejects.toMatchObject({ code: 'ECONNRESET' });
    const second = await start(port!, 'second network');
    expect(await get()).toBe('second network');
    await second.close();
    await expect(get()).rejects.toMatchObject({ code: expect.stringMatching(/ECONNREFUSED|ECONNRESET/) });
    agent.destroy();
  });
});
