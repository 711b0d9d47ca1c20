/**
 * The seeded random source. Every generator asks for its own stream by purpose
 * (`random.stream('fhir-data:persona:3')`), derived from the network seed with HMAC-SHA256,
 * so adding one generator never shifts the output of another, and the same seed always
 * gives the same patients, identifiers and lists.
 *
 * Together with clock.ts this is the only module allowed to produce randomness.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class SeededRandom {
  constructor(readonly seed: string) {
    if (seed.length === 0) throw new RangeError('the random seed must not be empty');
  }

  /** An independent, reproducible stream for one purpose. */
  stream(purpose: string): RandomStream {
    return new RandomStream(createHmac('sha256', this.seed).update(purpose).digest());
  }
}

/**
 * A deterministic byte stream: HMAC-SHA256(key, counter) blocks (a counter-mode DRBG),
 * with the usual helpers on top.
 */
export class RandomStream {
  private counter = 0;
  private buffer = Buffer.alloc(0);

  constructor(private readonly key: Buffer) {}

  bytes(n: number): Buffer {
    while (this.buffer.length < n) {
      const block = createHmac('sha256', this.key).update(String(this.counter++)).digest();
      this.buffer = Buffer.concat([this.buffer, block]);
    }
    const out = this.buffer.subarray(0, n);
    this.buffer = this.buffer.subarray(n);
    return Buffer.from(out);
  }

  uint32(): number {
    return this.bytes(4).readUInt32BE(0);
  }

  /** A float in [0, 1) with 53 bits of randomness. */
  float(): number {
    const b = this.bytes(7);
    const hi = b.readUIntBE(0, 4) & 0x1fffff; // 21 bits
    const lo = b.readUIntBE(3, 4); // 32 bits
    return (hi * 2 ** 32 + lo) / 2 ** 53;
  }

  /** An integer in [min, max], both inclusive, without modulo bias. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError(`invalid integer range [${min}, ${max}]`);
    }
    const span = max - min + 1;
    if (span > 2 ** 32) throw new RangeError('integer range too large');
    const limit = Math.floor(2 ** 32 / span) * span;
    let x: number;
    do x = this.uint32();
    while (x >= limit);
    return min + (x % span);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[this.int(0, items.length - 1)]!;
  }

  shuffle<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  hex(byteCount: number): string {
    return this.bytes(byteCount).toString('hex');
  }

  /** A UUID with version 4 layout, drawn from this stream (so it is reproducible). */
  uuid(): string {
    const b = this.bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

/**
 * Unpredictable bytes for every secret, which must NOT follow from the seed: the private keys of the
 * sandbox PKI, codes, tokens, states, session and flow ids, cookie values, TOTP secrets. A root CA that a
 * developer trusts in their browser, or a session id on a shared machine, must not be something anyone who
 * knows the (public, committed) seed can recompute. Golden traces mask these values, so runs stay comparable.
 */
export function secureRandomBytes(n: number): Buffer {
  return randomBytes(n);
}

/**
 * The helpers of a RandomStream (hex, uuid, …) over the CSPRNG: for secrets. `source` is injectable so a
 * test can force a collision; the sandbox never passes a seeded one.
 */
export class SecretStream extends RandomStream {
  constructor(private readonly source: (n: number) => Buffer = secureRandomBytes) {
    super(Buffer.alloc(0));
  }

  override bytes(n: number): Buffer {
    return Buffer.from(this.source(n));
  }
}

/** Is a presented secret (a cookie value, a form token, a password) the one expected? In constant time. */
export function sameSecret(presented: string, expected: string): boolean {
  const x = Buffer.from(presented);
  const y = Buffer.from(expected);
  return x.length === y.length && timingSafeEqual(x, y);
}
