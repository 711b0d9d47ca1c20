/** A caller of the control API over real HTTPS (one-sided TLS: the stelselnode's back channel is public). */
import { SandboxError, type Clock, type HostTable } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';
import { hop, HopError, type HopResponse } from '@medmij-sandbox/transport';
import { CONTROL_PATH, readControlToken, wireBody, type ControlAction, type ControlAnswer, type ControlBodies, type ControlError } from './contract.js';

export interface ControlClientOptions {
  /** The stelselnode's back-channel base URL. */
  url: string;
  /** SandboxPaths.stelselnode.controlToken of the network. */
  tokenFile: string;
  /** Who calls, as the trace names the caller (`scenario`, `sandbox`, `sandbox-cli`, `test`). */
  from: string;
  pki: SandboxPki;
  clock: Clock;
  hosts?: HostTable;
}

export class StelselnodeControl {
  constructor(private readonly o: ControlClientOptions) {}

  /** Carries out one action; the stelselnode's sentences of what it did. A refusal is a SandboxError with its message. */
  async call<A extends ControlAction>(action: A, body?: ControlBodies[A]): Promise<string[]> {
    return (await this.change(action, body)).done;
  }

  /** The same, with the whole answer: also whom the stelselnode told of the change (`notified`). */
  async change<A extends ControlAction>(action: A, body?: ControlBodies[A]): Promise<ControlAnswer> {
    const r = await this.send('POST', `${CONTROL_PATH}/${action}`, JSON.stringify(body ? wireBody(action, body) : {}));
    if (r.status !== 200) {
      const e = parseError(r);
      throw new SandboxError(`stelselnode: ${e?.message ?? `HTTP ${r.status} to ${action}: ${r.text().slice(0, 200)}`}`, e?.hint);
    }
    return r.json<ControlAnswer>();
  }

  /** The publisher's state (Volgnummers, faults, removed and added participants). */
  async status(): Promise<unknown> {
    const r = await this.send('GET', `${CONTROL_PATH}/status`);
    if (r.status !== 200)
      throw new SandboxError(`the stelselnode answered HTTP ${r.status} to ${CONTROL_PATH}/status: ${parseError(r)?.message ?? r.text().slice(0, 200)}`);
    return r.json();
  }

  private async send(method: 'GET' | 'POST', path: string, body?: string): Promise<HopResponse> {
    const token = readControlToken(this.o.tokenFile);
    try {
      return await hop(`${this.o.url}${path}`, {
        method,
        from: this.o.from,
        clientCertificate: false,
        headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(body !== undefined ? { body } : {}),
        pki: this.o.pki,
        clock: this.o.clock,
        ...(this.o.hosts ? { hosts: this.o.hosts } : {}),
        // A change answers once every consumer it told has decided (each fetches and judges the list): on a busy
        // machine, with outside participants in processes of their own, that takes longer than one hop. A safety net.
        timeoutMs: 180_000,
      });
    } catch (e) {
      if (e instanceof HopError && e.code === 'ECONNREFUSED')
        throw new SandboxError(`the stelselnode does not answer at ${this.o.url}`, 'is the network running? start it with: npm start');
      throw e;
    }
  }
}

function parseError(r: HopResponse): ControlError | undefined {
  try {
    return r.json<ControlError>();
  } catch {
    return undefined;
  }
}
