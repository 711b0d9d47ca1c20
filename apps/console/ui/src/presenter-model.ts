/**
 * What presenter mode steps through, worked out from a scenario run: the hops a person should see (as the
 * inspector shows them: one report per hop, without the app's own API calls), plus decisions, and which
 * of the run's checks ("what to notice") belongs to which step. Pure (no rendering), so it is tested on
 * its own; <console-presenter> (presenter.ts) renders it.
 */
import type { ScenarioRun, TraceEvent } from '@medmij-sandbox/console-api';
import { causalOrder } from '@medmij-sandbox/network/trace-order';
import { counterpartOf, visibleEvents } from './sequence.ts';

export type ScenarioCheck = ScenarioRun['checks'][number];

export interface PresenterModel {
  /** The hops a person should see (as the inspector shows them: one report per hop, without the app's own API calls), plus decisions. */
  steps: TraceEvent[];
  /** The checks that matched each step, by the step's seq. */
  notices: Map<number, ScenarioCheck[]>;
}

/**
 * The steps of a run and which checks belong to which step. A check may have matched the report a step
 * does not show (the callee's of a hop both ends report): it then belongs to the shown report of that
 * hop; an event matched by a check that is hidden otherwise is shown anyway.
 */
export function presenterModel(run: Pick<ScenarioRun, 'events' | 'checks'>): PresenterModel {
  const visible = visibleEvents(run.events, { hideUiTraffic: true });
  const shown = new Set(visible.map((e) => e.seq));
  const bySeq = new Map(run.events.map((e) => [e.seq, e]));
  const extra: TraceEvent[] = [];
  const notices = new Map<number, ScenarioCheck[]>();
  for (const check of run.checks) {
    if (check.seq === undefined) continue;
    let seq: number | undefined = check.seq;
    if (!shown.has(seq)) {
      const event = bySeq.get(seq);
      const other = event ? counterpartOf(event, run.events) : undefined;
      if (other && shown.has(other.seq)) seq = other.seq;
      else if (event) {
        extra.push(event);
        shown.add(seq);
      } else seq = undefined;
    }
    if (seq !== undefined) notices.set(seq, [...(notices.get(seq) ?? []), check]);
  }
  const steps = extra.length ? causalOrder([...visible, ...extra], run.events) : visible;
  return { steps, notices };
}
