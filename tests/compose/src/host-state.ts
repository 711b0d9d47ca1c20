/**
 * What a Docker engine may leave behind on the host: firewall rules (a default engine sets FORWARD to DROP,
 * adds DOCKER chains and NAT, for IPv4 and, when asked, IPv6), IP forwarding, network interfaces (docker0,
 * compose bridges, veths) and mounts. Taken before and after the run; any difference is reported as a failure.
 */
import { readFileSync } from 'node:fs';
import { run } from './exec.js';
import { which } from './engine.js';

export interface HostState {
  /** iptables-save without counters and comments; undefined when there was no iptables-save to ask. */
  firewall: string | undefined;
  /** The same for ip6tables-save. */
  firewall6: string | undefined;
  forwarding: string;
  interfaces: string[];
  mounts: string[];
}

async function saved(program: string): Promise<string | undefined> {
  const save = which(program) ?? which(program, '/usr/sbin:/sbin');
  if (!save) return undefined;
  const r = await run(save, [], { timeoutMs: 15_000 });
  // Packet counters and the timestamps in comments change on their own.
  return r.stdout
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/g, '').trimEnd())
    .join('\n');
}

export async function hostState(ownDirs: string[]): Promise<HostState> {
  const links = await run('ip', ['-o', 'link', 'show'], { timeoutMs: 15_000 });
  return {
    firewall: await saved('iptables-save'),
    firewall6: await saved('ip6tables-save'),
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

/** A firewall with nothing in it: no rule, every chain's policy ACCEPT (or no tables at all). */
function openFirewall(rules: string): boolean {
  return rules
    .split('\n')
    .filter(Boolean)
    .every((l) => l.startsWith('*') || l === 'COMMIT' || /^:\S+ (ACCEPT|-)\s*$/.test(l));
}

function firewallChange(name: string, before: string | undefined, after: string | undefined): string | undefined {
  if (before === after || after === undefined) return undefined;
  // No iptables-save before (the run installed docker.io, which brings iptables): the firewall was not
  // readable then, so it must be empty now.
  if (before === undefined) return openFirewall(after) ? undefined : `${name}: the firewall has rules now (there was no ${name} before to compare):\n${after}`;
  return `the firewall rules changed (${name} before:\n${before}\nafter:\n${after})`;
}

/** The differences, in words; empty when the host is as it was. */
export function hostChanges(before: HostState, after: HostState): string[] {
  const changes: string[] = [];
  for (const c of [firewallChange('iptables-save', before.firewall, after.firewall), firewallChange('ip6tables-save', before.firewall6, after.firewall6)])
    if (c) changes.push(c);
  if (before.forwarding !== after.forwarding) changes.push(`net.ipv4.ip_forward changed from ${before.forwarding} to ${after.forwarding}`);
  const added = (a: string[], b: string[]) => b.filter((x) => !a.includes(x));
  for (const i of added(before.interfaces, after.interfaces)) changes.push(`a network interface was left behind: ${i}`);
  for (const i of added(after.interfaces, before.interfaces)) changes.push(`a network interface disappeared: ${i}`);
  for (const m of added(before.mounts, after.mounts)) changes.push(`a mount was left behind: ${m}`);
  return changes;
}
