export { HeadlessBrowser, type BrowserResponse } from './browser.js';
export {
  expectationsIn,
  loadCatalogue,
  notApplicable,
  parseScenario,
  scenarioSchema,
  type Bilingual,
  type Expectations,
  type HopExpectation,
  type Scenario,
  type ScenarioStep,
  type SetupAction,
} from './schema.js';
export { runScenario, type ScenarioNetwork, type ScenarioResult } from './runner.js';
export { describeExpectation, expandPlaceholders, type Check, type NearMiss } from './expectations.js';
export { walkThroughFlow, type FlowChoices, type FlowEnd } from './flow.js';
export { dvzasOf, targetApplies, type ScenarioTarget } from './targets.js';
export * from './report.js';
export { compareVersions, comparisonHtml, describeHop, formatComparison, type Difference, type Verdict, type VersionComparison } from './compare.js';
export { listDecisions, untilTrace } from './list-decisions.js';
