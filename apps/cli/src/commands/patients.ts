/** `sandbox personas` and `sandbox dossier <bsn>`: the synthetic patients and their FHIR dossiers (../personas.ts). */
import { Option, type Command } from 'commander';
import { loadTopology } from '@medmij-sandbox/network';
import { commandClock, type Cli } from '../context.js';
import { dossierFor, personaSetOptions, personasOutput, validateBundles } from '../personas.js';

export function registerPatientCommands(program: Command, { globals, print }: Cli): void {
  const referenceDateOption = () =>
    new Option(
      '--reference-date <date>',
      "compute ages and dates against this day, YYYY-MM-DD (default: the topology's referenceDate, else today on the sandbox clock)",
    );

  program
    .command('personas')
    .description('list the synthetic patients: BSN, age, the DVZAs that know them and the MedMij situation each one shows')
    .option('--json', 'print JSON: { seed, referenceDate, personas }')
    .addOption(referenceDateOption())
    .action((o: { json?: boolean; referenceDate?: string }) => {
      const topology = loadTopology(globals().topologyPath);
      print(personasOutput(personaSetOptions(topology, commandClock(globals()), o.referenceDate), o.json ?? false));
    });

  program
    .command('dossier')
    .description("print a persona's dossier as FHIR STU3 JSON: Bundles of type 'collection'")
    .argument('<bsn>', 'BSN of a persona (see: npm run sandbox -- personas)')
    .option('--provider <dvza>', 'only the dossier at this DVZA: prints ONE Bundle (without it: a JSON array with one Bundle per DVZA that knows the persona)')
    .option('--gegevensdienst <id>', 'only what this gegevensdienst delivers: its resources, the Patient and everything they refer to')
    .addOption(referenceDateOption())
    .option('--validate', 'check every resource against the FHIR STU3 JSON schema; exit code 1 if one fails')
    .addHelpText(
      'after',
      "\nEach Bundle's identifier (system urn:medmij-sandbox:dvza) names its DVZA; references inside are relative and resolve within the Bundle. A persona known to no DVZA prints [].",
    )
    .action(async (bsn: string, o: { provider?: string; gegevensdienst?: string; referenceDate?: string; validate?: boolean }) => {
      const topology = loadTopology(globals().topologyPath);
      const result = dossierFor(topology, personaSetOptions(topology, commandClock(globals()), o.referenceDate), {
        bsn,
        provider: o.provider,
        gegevensdienst: o.gegevensdienst,
      });
      for (const note of result.notes) process.stderr.write(`sandbox: ${note}\n`);
      print(JSON.stringify(result.output, null, 2));
      if (o.validate) {
        const errors = await validateBundles(Array.isArray(result.output) ? result.output : [result.output]);
        for (const e of errors) process.stderr.write(`invalid: ${e}\n`);
        process.stderr.write(errors.length === 0 ? 'sandbox: every resource is valid FHIR STU3 (JSON schema)\n' : '');
        if (errors.length > 0) process.exitCode = 1;
      }
    });
}
