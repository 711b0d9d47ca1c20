/**
 * Commands with a bound: every step of the compose run is an outside program (docker, dockerd, debootstrap,
 * npm) that could hang. Each gets a deadline; past it the whole process group is killed and the step fails
 * with a message naming it, so the run always ends.
 */
import { spawn } from 'node:child_process';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The deadline passed and the command was killed. */
  timedOut: boolean;
  ms: number;
}

export interface RunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string | Buffer;
  /** Echo the command's output as it comes (long steps: the build, the scenario run). */
  echo?: boolean;
}

/** A step that failed: the message names what and why; `detail` holds the command's last words. */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly detail = '',
  ) {
    super(message);
  }
}

/** The process groups of the commands running now: an interrupted run kills them before it tears down. */
const running = new Set<number>();

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

/** Kills every command still running (SIGKILL, the whole process group): for an interrupted run. */
export function killRunning(): void {
  for (const pid of running) killGroup(pid, 'SIGKILL');
}

export function run(command: string, args: string[], o: RunOptions): Promise<Ran> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    let child;
    try {
      // Its own process group: a timeout kills docker compose and whatever it started, not only the wrapper.
      child = spawn(command, args, { cwd: o.cwd, env: o.env ?? process.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: null, stdout: '', stderr: (e as Error).message, timedOut: false, ms: 0 });
      return;
    }
    const pid = child.pid;
    if (pid) running.add(pid);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const settle = (code: number | null, extra = '') => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      // Timed out: whatever of its group is left (it ignored SIGTERM, or the command went first) goes too.
      if (timedOut && pid) killGroup(pid, 'SIGKILL');
      if (pid) running.delete(pid);
      resolve({ code, stdout, stderr: stderr + extra, timedOut, ms: performance.now() - t0 });
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (o.echo) process.stdout.write(d);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (o.echo) process.stderr.write(d);
    });
    // Past the deadline: SIGTERM to the whole group, SIGKILL 10 s later if anything is left.
    timers.push(
      setTimeout(() => {
        timedOut = true;
        if (pid) killGroup(pid, 'SIGTERM');
        timers.push(setTimeout(() => pid && killGroup(pid, 'SIGKILL'), 10_000));
      }, o.timeoutMs),
    );
    child.on('error', (e) => settle(null, e.message));
    // 'close' waits for the pipes, which a descendant that outlives the command (a daemon a package's
    // postinst started) may hold open forever: after the command's own exit, at most 10 s more for its output.
    child.on('exit', (code) => {
      timers.push(
        setTimeout(() => {
          child.stdout.destroy();
          child.stderr.destroy();
          settle(code);
        }, 10_000),
      );
    });
    child.on('close', (code) => settle(code));
    child.stdin.on('error', () => undefined);
    child.stdin.end(o.input);
  });
}

/** The last lines a command said, for a failure message. */
export function lastLines(r: Pick<Ran, 'stdout' | 'stderr'>, n = 12): string {
  return `${r.stdout}\n${r.stderr}`
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-n)
    .join('\n');
}

/** Runs a step that must succeed; otherwise a StepFailure saying `what` failed, and why. */
export async function must(what: string, command: string, args: string[], o: RunOptions): Promise<Ran> {
  const r = await run(command, args, o);
  if (r.timedOut) throw new StepFailure(`${what}: no answer within ${Math.round(o.timeoutMs / 1000)} s (killed)`, lastLines(r));
  // The command's own last words name the cause best (docker: "COPY failed: ... package.json: not found").
  if (r.code !== 0)
    throw new StepFailure(
      `${what}: ${lastLines({ stdout: '', stderr: r.stderr || r.stdout }, 1) || `${command} exited with ${r.code ?? 'an error'}`}`,
      lastLines(r),
    );
  return r;
}

/** Waits for `check` to say yes, trying again every `everyMs`, until `timeoutMs`; returns whether it did. */
export async function waitFor(check: () => Promise<boolean> | boolean, o: { timeoutMs: number; everyMs?: number }): Promise<boolean> {
  const until = performance.now() + o.timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() > until) return false;
    await new Promise((r) => setTimeout(r, o.everyMs ?? 500));
  }
}
