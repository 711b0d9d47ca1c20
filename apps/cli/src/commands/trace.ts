/** `sandbox trace [--follow] [--json] [--previous]`: the hops and decisions of the running (or last) network. */
import { existsSync, mkdirSync, watch } from 'node:fs';
import type { Command } from 'commander';
import { SandboxError, formatTraceEvent, readTraceFile, type TraceEvent } from '@medmij-sandbox/network';
import type { Cli } from '../context.js';

export function registerTraceCommands(program: Command, { globals, print }: Cli): void {
  program
    .command('trace')
    .description('print the hops and decisions of the running (or last) network')
    .option('-f, --follow', 'keep printing new events')
    .option('--json', 'one JSON event per line')
    .option('--previous', 'the run before the last one')
    .action(async (o: { follow?: boolean; json?: boolean; previous?: boolean }) => {
      const { paths } = globals();
      const file = o.previous ? paths.tracePrevious : paths.trace;
      const show = (e: TraceEvent) => print(o.json ? JSON.stringify(e) : formatTraceEvent(e));
      let lastSeq = 0;
      const flush = () => {
        // With the rotated older part (trace.1.jsonl): a rotation while following neither repeats nor skips events.
        const events = readTraceFile(file, { withOlder: true });
        if ((events.at(-1)?.seq ?? 0) < lastSeq) lastSeq = 0; // a new run replaced the file
        for (const e of events) if (e.seq > lastSeq) show(e);
        lastSeq = Math.max(lastSeq, events.at(-1)?.seq ?? 0);
      };
      if (!existsSync(file) && !o.follow) throw new SandboxError(`no trace yet at ${file}`, 'start the network with: npm start');
      flush();
      if (!o.follow) return;
      mkdirSync(paths.root, { recursive: true });
      const watcher = watch(paths.root, { recursive: true }, () => flush());
      await new Promise<void>((resolve) => process.once('SIGINT', () => (watcher.close(), resolve())));
    });
}
