/**
 * The CLI's face for other code (bench/, the tests in tests/): starting networks the ways the sandbox runs
 * them, and running scenarios. The `sandbox` command itself is main.ts.
 */
export { startNetwork, describeNetwork, type NetworkDescription, type RunningNetwork, type StartOptions } from './network.js';
export { startParticipant, type NetworkContext, type RunningParticipant } from './participants.js';
export { initNetwork, openSharedNetwork, runEnrolledDvza, runEnrolledPgo, runParticipant } from './processes.js';
export {
  SCENARIO_START,
  pickScenarios,
  prepareRun,
  resetNetwork,
  runOnFreshNetwork,
  runScenarios,
  runScenariosLive,
  scenarioService,
  scenarioTarget,
  scenariosFor,
  type PreparedRun,
} from './scenario-runs.js';
export { manageTrust, trustNickname } from './trust.js';
