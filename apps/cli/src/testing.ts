/** The `sandbox` command run in a child process, as a user runs it (`@medmij-sandbox/cli/testing`, for tests only). */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repositoryRoot } from '@medmij-sandbox/network';

const root = repositoryRoot();
const main = join(root, 'apps', 'cli', 'src', 'main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `stdin: true` keeps standard input open for the test to type into (a person answering a prompt). */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
  o: { stdin?: boolean } = {},
): ChildProcess & { output: () => { stdout: string; stderr: string } } {
  // One process (node with tsx's loader), not the `tsx` wrapper: the wrapper relays a signal and SIGKILLs its child
  // when the child has not confirmed within 30 ms, which a busy machine misses — Ctrl-C must reach our handler.
  const child = spawn(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: [o.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return Object.assign(child, { output: () => ({ stdout, stderr }) });
}

export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = startCli(args, env);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, ...child.output() })));
}

/**
 * Resolves when the child has printed `text` on stdout (`times` times in all); fails with what it printed if it
 * exits first. The timeout is a safety net for a hang.
 */
export function waitForOutput(child: ReturnType<typeof startCli>, text: string, o: { times?: number; timeoutMs?: number } = {}): Promise<void> {
  const { times = 1, timeoutMs = 300_000 } = o;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no '${text}' within ${timeoutMs} ms:\n${JSON.stringify(child.output(), null, 2)}`)), timeoutMs);
    const check = () => {
      if (child.output().stdout.split(text).length - 1 >= times) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', check);
    child.on('close', (code) => {
      if (child.output().stdout.split(text).length - 1 >= times) return resolve();
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before printing '${text}':\n${JSON.stringify(child.output(), null, 2)}`));
    });
    check();
  });
}
