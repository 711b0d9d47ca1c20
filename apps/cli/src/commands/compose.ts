/** `sandbox compose check`: docker-compose.yml against the Compose Specification and topology.compose.yaml (no Docker needed). */
import type { Command } from 'commander';
import { SandboxError } from '@medmij-sandbox/network';
import { checkCompose, defaultComposeFiles } from '../compose.js';
import type { Cli } from '../context.js';

export function registerComposeCommands(program: Command, { print }: Cli): void {
  program
    .command('compose')
    .description('check docker-compose.yml against the Compose Specification and topology.compose.yaml (no Docker needed)')
    .argument('[action]', 'check', 'check')
    .action((action: string) => {
      if (action !== 'check') throw new SandboxError(`compose: unknown action '${action}'`, 'use: compose check');
      const files = defaultComposeFiles();
      const problems = checkCompose(files);
      for (const p of problems) print(p);
      if (problems.length > 0) throw new SandboxError(`${files.compose}: ${problems.length} problem(s)`);
      print(`${files.compose}: valid Compose file; one container per participant of ${files.topology}, edge routes and Dockerfile agree`);
    });
}
