import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, releasePorts, reservePorts, reservedPort, writeTopologyOnFreePorts } from './ports.js';
import { defaultTopologyPath } from './paths.js';
import { tempDir } from './testing.js';

/** Whether another listener (another process would do the same) can bind this port now. */
const bindable = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

describe('free ports', () => {
  afterEach(() => releasePorts());

  it('hands out many ports at once without a duplicate, also to several callers at the same time', async () => {
    const [a, b, c] = await Promise.all([reservePorts(120), reservePorts(120), reservePorts(60)]);
    const all = [...a!, ...b!, ...c!];
    expect(new Set(all).size).toBe(300);
  });

  it('keeps them bound until released: nobody else can take one in between', async () => {
    const [port] = await reservePorts(1);
    expect(reservedPort('127.0.0.1', port!)).toBeDefined();
    expect(await bindable(port!)).toBe(false);
    await releasePorts([port!]);
    expect(reservedPort('127.0.0.1', port!)).toBeUndefined();
    expect(await bindable(port!)).toBe(true);
  });

  it('moves a topology onto reserved ports, or releases them for a child process to bind', async () => {
    const held = await writeTopologyOnFreePorts(defaultTopologyPath(), tempDir());
    const numbers = held.topology.participants.flatMap((p) =>
      ['port', 'frontchannelPort', 'backchannelPort'].flatMap((k) => (k in p ? [(p as unknown as Record<string, number>)[k]!] : [])),
    );
    expect(new Set(numbers).size).toBe(numbers.length);
    for (const p of numbers) expect(reservedPort('127.0.0.1', p)).toBeDefined();
    const released = await writeTopologyOnFreePorts(defaultTopologyPath(), tempDir(), { hold: false });
    expect(readFileSync(released.path, 'utf8')).toContain('frontchannelPort');
    for (const p of released.topology.participants) if ('frontchannelPort' in p) expect(reservedPort('127.0.0.1', p.frontchannelPort)).toBeUndefined();
    expect(await bindable(await freePort())).toBe(true);
  });
});
