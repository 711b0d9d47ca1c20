/**
 * What a Docker engine may leave behind on the host: firewall rules (a default engine sets FORWARD to DROP,
 * adds DOCKER chains and NAT), IP forwarding, network interfaces (docker0, compose bridges, veths) and mounts.
 * Taken before and after the run; any difference is reported as a failure.
 */
import { readFileSync } from 'node:fs';
import { run } from './exec.js';
import { which } from './engine.js';

export interface HostState {
  firewall: string;
  forwarding: string;
  interfaces: string[];
  mounts: string[];
}

export async function hostState(ownDirs: string[]): Promise<HostState> {
  let firewall = '(no iptables-save)';
  const save = which('iptables-save') ?? which('iptables-save', '/usr/sbin:/sbin');
  if (save) {
    const r = await run(save, [], { timeoutMs: 15_000 });
    // Packet counters and the timestamps in comments change on their own.
    firewall = r.stdout
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .map((l) => l.replace(/\[\d+:\d+\]/g, ''))
      .join('\n');
  }
  const links = await run('ip', ['-o', 'link', 'show'], { timeoutMs: 15_000 });
  return {
    firewall,
    forwarding: readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim(),
    interfaces: links.stdout
      .split('\n')
      .map((l) => l.split(':')[1]?.trim().split('@')[0])
      .filter((n): n is string => !!n)
      .sort(),
    // Mounts below the run's own folders are the engine's; they are checked apart (they must be gone).
    mounts: readFileSync('/proc/self/mounts', 'utf8')
      .split('\n')
      .filter((l) => l && !ownDirs.some((d) => l.split(' ')[1]?.startsWith(d)))
      .map((l) => l.split(' ').slice(0, 3).join(' '))
      .sort(),
  };
}

/** The differences, in words; empty when the host is as it was. */
export function hostChanges(before: HostState, after: HostState): string[] {
  const changes: string[] = [];
  if (before.firewall !== after.firewall) changes.push(`the firewall rules changed (iptables-save before:\n${before.firewall}\nafter:\n${after.firewall})`);
  if (before.forwarding !== after.forwarding) changes.push(`net.ipv4.ip_forward changed from ${before.forwarding} to ${after.forwarding}`);
  const added = (a: string[], b: string[]) => b.filter((x) => !a.includes(x));
  for (const i of added(before.interfaces, after.interfaces)) changes.push(`a network interface was left behind: ${i}`);
  for (const i of added(after.interfaces, before.interfaces)) changes.push(`a network interface disappeared: ${i}`);
  for (const m of added(before.mounts, after.mounts)) changes.push(`a mount was left behind: ${m}`);
  return changes;
}
