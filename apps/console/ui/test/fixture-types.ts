/** What ui/test/global-setup.ts provides to the browser tests (inject('catalogue')): the sandbox's real texts. */
import type { ScenarioInfo, ScenarioRun, TraceEvent } from '@medmij-sandbox/console-api';

export interface CatalogueFixtures {
  /** The scenario catalogue as the console's API lists it (scenarios/*.yaml through packages/scenario's loader). */
  scenarios: ScenarioInfo[];
  /** Per scenario, the checks a run of it reports: one per hop expectation, named as the runner names it. */
  checks: Record<string, ScenarioRun['checks']>;
  /** One event per entry of the rule catalogue: a decision giving each reason, a hop citing each rule. */
  events: TraceEvent[];
  /** Every English text of the rule catalogue (those events' reasons, every rule) and of every scenario. */
  english: string[];
}

declare module 'vitest' {
  export interface ProvidedContext {
    catalogue: CatalogueFixtures;
  }
}
