/** What several command groups share: option parsing with messages that name the option, and process lifetime. */
import { createInterface } from 'node:readline';
import { SandboxClock, SandboxError } from '@medmij-sandbox/network';
import { LEAF_KINDS, type LeafKind } from '@medmij-sandbox/pki';

/** Runs an option's parser; a RangeError becomes a message naming the option. */
export function optionValue<T>(option: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    throw new SandboxError(`${option}: ${(e as Error).message}`);
  }
}

/** The clock a network starts on: real time, unless --freeze and/or --shift say otherwise. */
export function startClock(o: { freeze?: string; shift?: string }): SandboxClock {
  const clock = new SandboxClock();
  if (o.freeze) optionValue('--freeze', () => clock.freeze(o.freeze!));
  if (o.shift) optionValue('--shift', () => clock.shift(o.shift!));
  return clock;
}

export function parseKinds(value: string): LeafKind[] {
  const kinds = value.split(',').map((s) => s.trim());
  for (const k of kinds) {
    if (!(LEAF_KINDS as readonly string[]).includes(k)) throw new SandboxError(`--cert: unknown certificate kind '${k}'`, `use ${LEAF_KINDS.join(', ')}`);
  }
  return kinds as LeafKind[];
}

/** Keeps a process alive until Ctrl-C or SIGTERM (docker stop), then closes what it started. */
export function untilStopped(print: (text: string) => void, close: () => Promise<void>, what: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      print(`\n${signal}: stopping ${what}...`);
      await close();
      resolve();
    };
    process.once('SIGINT', () => void stop('SIGINT'));
    process.once('SIGTERM', () => void stop('SIGTERM'));
  });
}

/** Tells the person at the keyboard what to do in their own PGO, and waits for Enter (`--unattended` waits on the trace instead). */
export function askPerson(print: (text: string) => void, instruction: string): Promise<void> {
  print(`\n>>> ${instruction.split('\n').join('\n    ')}`);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: process.stdin });
    let answered = false;
    lines.once('line', () => {
      answered = true;
      lines.close();
      resolve();
    });
    lines.once(
      'close',
      () =>
        answered ||
        reject(
          new SandboxError(
            'nobody answered (standard input closed): a person must drive this PGO',
            "run it in a terminal, with --unattended when the PGO's own automation follows the instructions (CI), or with --drive api for a PGO with the reference API",
          ),
        ),
    );
  });
}
