/** docker-compose.yml as one compose project on an engine: up until every container is healthy, its state, down. */
import { join } from 'node:path';
import { StepFailure, lastLines, run } from './exec.js';
import type { Engine } from './engine.js';

export interface ContainerState {
  Service: string;
  State: string;
  Health: string;
  ExitCode: number;
  Status?: string;
}

/** `docker compose ps --format json`: an array (compose before 2.21) or one object per line (later). */
export function parsePs(text: string): ContainerState[] {
  const t = text.trim();
  if (!t) return [];
  if (t.startsWith('[')) return JSON.parse(t) as ContainerState[];
  return t.split('\n').map((l) => JSON.parse(l) as ContainerState);
}

/**
 * What is wrong with the containers, one line each; empty when all is well: the one-shot services (`init`)
 * exited with 0, every other service runs and its healthcheck says healthy.
 */
export function healthProblems(states: ContainerState[], services: string[], oneShot: string[] = ['init']): string[] {
  const problems: string[] = [];
  for (const service of services) {
    const s = states.find((c) => c.Service === service);
    if (!s) problems.push(`${service}: no container`);
    else if (oneShot.includes(service)) {
      if (s.State !== 'exited' || s.ExitCode !== 0)
        problems.push(`${service}: ${s.State}${s.State === 'exited' ? ` with exit code ${s.ExitCode}` : ''} (should have finished with 0)`);
    } else if (s.State !== 'running') problems.push(`${service}: ${s.State}${s.State === 'exited' ? ` with exit code ${s.ExitCode}` : ''} (${s.Status ?? ''})`);
    else if (s.Health !== 'healthy') problems.push(`${service}: running, but ${s.Health ? `its healthcheck says ${s.Health}` : 'it has no healthcheck'}`);
  }
  return problems;
}

export class ComposeProject {
  constructor(
    private readonly engine: Engine,
    readonly o: { repo: string; name: string; sandboxDir: string; edgeImage: string; extraFiles?: string[] },
  ) {}

  get env(): NodeJS.ProcessEnv {
    return { ...this.engine.env, SANDBOX_HOST_DIR: this.o.sandboxDir, EDGE_IMAGE: this.o.edgeImage };
  }

  private args(rest: string[]): string[] {
    const files = [join(this.o.repo, 'docker-compose.yml'), ...(this.o.extraFiles ?? [])].flatMap((f) => ['-f', f]);
    return ['compose', '-p', this.o.name, '--project-directory', this.o.repo, ...files, ...rest];
  }

  compose(rest: string[], timeoutMs: number, echo = false) {
    return run(this.engine.docker, this.args(rest), { timeoutMs, env: this.env, echo });
  }

  async services(): Promise<string[]> {
    const r = await this.compose(['config', '--services'], 30_000);
    if (r.code !== 0) throw new StepFailure('docker-compose.yml: docker compose config refuses it', lastLines(r));
    return r.stdout.split('\n').filter(Boolean);
  }

  async states(): Promise<ContainerState[]> {
    const r = await this.compose(['ps', '--all', '--format', 'json'], 30_000);
    return r.code === 0 ? parsePs(r.stdout) : [];
  }

  /**
   * Starts the project (or `only` those services and what they need) and waits for every healthcheck, at most
   * `waitS` seconds. A container that never gets healthy, or exits, ends it with a message naming it and
   * its last log lines.
   */
  async up(o: { waitS: number; only?: string[] }): Promise<ContainerState[]> {
    const r = await this.compose(['up', '--detach', '--no-build', '--wait', '--wait-timeout', String(o.waitS), ...(o.only ?? [])], (o.waitS + 120) * 1000);
    const states = await this.states();
    const wanted = o.only ? states.map((s) => s.Service) : await this.services();
    const problems = healthProblems(states, wanted);
    if (r.code === 0 && problems.length === 0) return states;
    const details: string[] = [];
    for (const p of problems) {
      const service = p.split(':')[0]!;
      const logs = await this.compose(['logs', '--no-color', '--tail', '8', service], 30_000);
      details.push(`--- ${service}:\n${lastLines(logs, 8)}`);
    }
    // No container at all: compose itself refused (a clashing network, a missing image); its words say why.
    const why =
      problems.length > 0 && states.length > 0 ? problems.join('; ') : lastLines({ stdout: '', stderr: r.stderr || r.stdout }, 3) || problems.join('; ');
    throw new StepFailure(
      `containers not healthy${r.timedOut ? ` (compose did not return in ${o.waitS + 120} s)` : ''}: ${why}`,
      `${lastLines(r, 4)}\n${details.join('\n')}`,
    );
  }

  /** Containers, network and volumes of the project gone; what could not be removed, in words. */
  async down(): Promise<string[]> {
    const r = await this.compose(['down', '--volumes', '--remove-orphans', '--timeout', '20'], 180_000);
    return r.code === 0 ? [] : [`docker compose down (${this.o.name}) failed: ${lastLines(r, 3)}`];
  }
}
