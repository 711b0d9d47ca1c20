/** Helpers shared by the test workspaces (tests/README.md): never used by participants. */
/** The `sandbox` command run as a user runs it (the CLI's own test helper). */
export { runCli, startCli, waitForOutput, type CliResult } from '@medmij-sandbox/cli/testing';
export { ScriptedPgo, type AuthorizationOutcome, type LoginChoice, type ScriptOptions } from './scripted-pgo.js';
export { startTestService, type TestService } from './tvs-test-service.js';
