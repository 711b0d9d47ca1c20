/**
 * Load lines (issue 16): what a busy or hostile client costs a running network.
 *
 * - `/oauth/authorize` at a DVZA under 20 keep-alive connections for 20 s: requests per second and the p99
 *   latency. Every valid authorize starts a flow (the welcome page, then DigiD), so this is the path a
 *   flood of PGO users (or an attacker) drives.
 * - the trace file's growth over 10,000 TLS handshakes without a client certificate at a mutual-TLS back
 *   channel: each is refused, and each may leave trace lines that nobody bounds.
 */
import { Agent, request } from 'node:https';
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:tls';
import { backchannelUrl, frontchannelUrl, participantsByRole, sandboxLookup, type Topology } from '@medmij-sandbox/network';
import type { SandboxPki } from '@medmij-sandbox/pki';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

/** A valid authorization request of the reference PGO at the first DVZA, in the topology's afsprakenstelsel. */
function authorizeUrl(topology: Topology): URL {
  const dvza = participantsByRole(topology, 'dvza')[0]!;
  const pgo = participantsByRole(topology, 'pgo')[0]!;
  const url = new URL(`${frontchannelUrl(dvza)}/oauth/authorize`);
  const naam = dvza.zorgaanbiedernaam.replace(/@medmij$/, '');
  const scope = topology.afsprakenstelsel === '2' ? naam : `${naam}~${dvza.gegevensdiensten[0]}`;
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: pgo.hostname,
    redirect_uri: `${frontchannelUrl(pgo)}/oauth/callback`,
    scope,
    state: 'bench-state',
  }).toString();
  return url;
}

/** 20 connections, each sending the next request when the last one is answered, for `seconds`. */
export async function authorizeLoad(
  topology: Topology,
  pki: SandboxPki,
  o: { connections?: number; seconds?: number } = {},
): Promise<{ perSecond: number; p99Ms: number; statuses: Record<number, number> }> {
  const connections = o.connections ?? 20;
  const seconds = o.seconds ?? 20;
  const url = authorizeUrl(topology);
  const agent = new Agent({ keepAlive: true, maxSockets: connections, ca: readFileSync(pki.rootCertPath), lookup: sandboxLookup() });
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  // Wall time on purpose: this measures real throughput, not the sandbox clock.
  const end = performance.now() + seconds * 1000;
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const t0 = performance.now();
      const req = request(url, { agent, method: 'GET' }, (res) => {
        res.resume();
        res.on('end', () => {
          latencies.push(performance.now() - t0);
          statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', reject);
      req.end();
    });
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) await one();
    }),
  );
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { perSecond: latencies.length / seconds, p99Ms: percentile(sorted, 99), statuses };
}

/** `count` TLS handshakes without a client certificate at the first DVZA's back channel; the trace file's growth. */
export async function certificatelessHandshakes(topology: Topology, pki: SandboxPki, traceFile: string, count = 10_000): Promise<{ bytes: number }> {
  const dvza = participantsByRole(topology, 'dvza')[0]!;
  const { hostname, port } = new URL(backchannelUrl(dvza)!);
  const size = () => {
    try {
      return statSync(traceFile).size;
    } catch {
      return 0;
    }
  };
  const before = size();
  const lookup = sandboxLookup();
  const once = () =>
    new Promise<void>((resolve) => {
      // The server refuses the handshake (or the first request) for want of a certificate: any ending counts.
      const socket = connect({ host: hostname, port: Number(port), servername: hostname, ca: readFileSync(pki.rootCertPath), lookup }, () => {
        socket.end('GET /fhir/Patient HTTP/1.1\r\nhost: x\r\n\r\n');
      });
      socket.on('error', () => resolve());
      socket.on('close', () => resolve());
      socket.on('data', () => undefined);
    });
  let next = 0;
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next++ < count) await once();
    }),
  );
  return { bytes: size() - before };
}
