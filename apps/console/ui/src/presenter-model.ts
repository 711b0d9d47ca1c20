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

// ---- phases: what a trainer shows live -----------------------------------------------------------------------

/** The phases of one Verzamelen flow, in the order they happen. */
export const PHASES = ['lijsten', 'autorisatie', 'digid', 'toestemming', 'token', 'gegevens'] as const;
export type Phase = (typeof PHASES)[number];

export const PHASE_NAMES: Record<Phase, { nl: string; en: string }> = {
  lijsten: { nl: 'Lijsten', en: 'Lists' },
  autorisatie: { nl: 'Autorisatie', en: 'Authorization' },
  digid: { nl: 'DigiD', en: 'DigiD' },
  toestemming: { nl: 'Toestemming', en: 'Consent' },
  token: { nl: 'Token', en: 'Token' },
  gegevens: { nl: 'Gegevens', en: 'Data' },
};

const host = (h: string | undefined) => (h ?? '').toLowerCase();
const pathOf = (url: string | undefined) => {
  if (!url) return '';
  try {
    return new URL(url, 'https://x.invalid').pathname;
  } catch {
    return url;
  }
};

/**
 * The phase an event plainly belongs to, by the participants and the path (the DVZA's front-channel paths, the
 * TVS, the stelselnode, the token and FHIR endpoints) or its rule; undefined when it says nothing by itself (a CRL
 * download, a PGO's API call): it then belongs to the phase around it.
 */
export function phaseOf(e: TraceEvent): Phase | undefined {
  const hosts = [host(e.from), host(e.to), host(e.reportedBy)];
  const path = pathOf(e.url);
  const rule = e.ruleId ?? '';
  if (rule.startsWith('lists.') || hosts.some((h) => h.startsWith('stelselnode.'))) return 'lijsten';
  if (path.startsWith('/fhir') || rule.startsWith('dvza.fhir')) return 'gegevens';
  if (path === '/oauth/token' || path === '/oauth/callback' || path === '/oauth/revoke' || rule.startsWith('dvza.token')) return 'token';
  if (path === '/oauth/consent' || rule.startsWith('dvza.consent') || rule.startsWith('dvza.beschikbaarheid')) return 'toestemming';
  if (path === '/tvs/callback' || path === '/oauth/digid' || hosts.some((h) => h.startsWith('tvs.')) || rule.startsWith('tvs.')) return 'digid';
  if (path === '/oauth/authorize' || path === '/oauth/cancel' || rule.startsWith('dvza.authorize')) return 'autorisatie';
  return undefined;
}

/** A stretch of consecutive steps of one phase. `key`: it holds a step one of the scenario's expectations matched. */
export interface PhaseSegment {
  phase: Phase;
  /** Indexes into `PresenterModel.steps`. */
  first: number;
  last: number;
  key: boolean;
}

/** The steps in stretches of one phase; a step that says nothing by itself joins the stretch before it (or after, at the start). */
export function phaseSegments(model: PresenterModel): PhaseSegment[] {
  const phases = model.steps.map(phaseOf);
  const firstKnown = phases.find((p) => p !== undefined) ?? 'autorisatie';
  const segments: PhaseSegment[] = [];
  let current: Phase = firstKnown;
  model.steps.forEach((e, i) => {
    current = phases[i] ?? current;
    const key = (model.notices.get(e.seq)?.length ?? 0) > 0;
    const last = segments.at(-1);
    if (last && last.phase === current) {
      last.last = i;
      last.key ||= key;
    } else segments.push({ phase: current, first: i, last: i, key });
  });
  return segments;
}

/** One thing presenter mode shows between the intro and the closing card: a hop (or decision), or a folded phase. */
export type PresenterItem = { kind: 'step'; step: number; segment: number } | { kind: 'phase'; segment: number };

/**
 * What the trainer steps through: every stretch that holds a key step shows its steps one by one; every other
 * stretch is folded to one line with its count (18 list fetches before the moment that matters are one step),
 * unless the trainer unfolded it (`unfolded`: segment indexes).
 */
export function presenterItems(segments: PhaseSegment[], unfolded: ReadonlySet<number> = new Set()): PresenterItem[] {
  return segments.flatMap((s, segment): PresenterItem[] => {
    if (!s.key && !unfolded.has(segment)) return [{ kind: 'phase', segment }];
    return Array.from({ length: s.last - s.first + 1 }, (_, k) => ({ kind: 'step' as const, step: s.first + k, segment }));
  });
}

/** The last of the run's steps an item shows (the diagram so far ends there). */
export function lastStepOf(item: PresenterItem, segments: PhaseSegment[]): number {
  return item.kind === 'step' ? item.step : segments[item.segment]!.last;
}

/** Is this item a key step: one of the scenario's expectations matched it? */
export function isKeyItem(item: PresenterItem, model: PresenterModel): boolean {
  return item.kind === 'step' && (model.notices.get(model.steps[item.step]!.seq)?.length ?? 0) > 0;
}

/**
 * The position (1-based among `items`; 0 is the intro, items.length + 1 the closing card) of the next key step after
 * `position`, or undefined when none follows.
 */
export function nextKeyPosition(items: PresenterItem[], model: PresenterModel, position: number): number | undefined {
  for (let p = position + 1; p <= items.length; p++) if (isKeyItem(items[p - 1]!, model)) return p;
  return undefined;
}

/** The PGO's last decision of the run: what the person saw at the end (collected, or refused and why). */
export function pgoOutcome(run: Pick<ScenarioRun, 'events'>, pgoHost = /(^|\.)pgo\.localhost$/): TraceEvent | undefined {
  return [...run.events].reverse().find((e) => e.kind === 'decision' && pgoHost.test(host(e.reportedBy)));
}
