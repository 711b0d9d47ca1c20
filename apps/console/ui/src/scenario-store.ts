/**
 * The scenario runs of this browser tab: the API answers a run only once (POST /api/scenarios/:name/run),
 * so the result page and presenter mode read it from here. The last few runs survive a reload
 * (sessionStorage, best effort: a run with many events may not fit). One run at a time.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Bilingual, ScenarioInfo, ScenarioRun } from '@medmij-sandbox/console-api';
import { ApiFailure, api } from './client.ts';

const STORAGE_KEY = 'medmij-sandbox.console.scenario-runs';
const KEEP = 3;

/** Whether a saved run has the shape of today's contract (a tab may hold one saved by an older console). */
function isRun(run: unknown): run is ScenarioRun {
  const r = run as Partial<ScenarioRun> | null;
  const bilingual = (t: unknown) => typeof (t as Bilingual | null)?.nl === 'string' && typeof (t as Bilingual).en === 'string';
  return (
    !!r && typeof r.name === 'string' && Array.isArray(r.events) && bilingual(r.title) && bilingual(r.teaches) && bilingual(r.rule) && Array.isArray(r.log)
  );
}

/** Whether a failed scenario call means this console runs without the sandbox's scenario service. */
export function scenariosUnavailable(e: unknown): boolean {
  return e instanceof ApiFailure && e.apiError.error === 'scenarios_unavailable';
}

export class ScenarioStore {
  /** The catalogue, once loaded (the result page uses it when no run is known). */
  catalogue: ScenarioInfo[] | undefined;
  /** The scenario running now. */
  running: string | undefined;
  private runs = new Map<string, ScenarioRun>();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage | undefined = safeSessionStorage()) {
    try {
      const saved = JSON.parse(this.storage?.getItem(STORAGE_KEY) ?? '[]') as ScenarioRun[];
      if (Array.isArray(saved)) for (const run of saved) if (isRun(run)) this.runs.set(run.name, run);
    } catch {
      // nothing usable saved
    }
  }

  /** The last run of a scenario in this tab. */
  get(name: string): ScenarioRun | undefined {
    return this.runs.get(name);
  }

  info(name: string): ScenarioInfo | undefined {
    return this.runs.get(name) ?? this.catalogue?.find((s) => s.name === name);
  }

  /** Runs a scenario (rejects with ApiFailure); refuses while another run is under way. */
  async run(name: string): Promise<ScenarioRun> {
    if (this.running) throw new Error(`already running ${this.running}`);
    this.running = name;
    this.notify();
    try {
      const run = await api.runScenario(name);
      this.put(run);
      return this.runs.get(run.name)!;
    } finally {
      this.running = undefined;
      this.notify();
    }
  }

  /** Adds a run (the latest of its scenario). */
  put(run: ScenarioRun): void {
    this.runs.delete(run.name);
    this.runs.set(run.name, run);
    this.save();
    this.notify();
  }

  setCatalogue(catalogue: ScenarioInfo[]): void {
    this.catalogue = catalogue;
    this.notify();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }

  /** The newest runs that fit; older ones are dropped first. */
  private save(): void {
    if (!this.storage) return;
    const newest = [...this.runs.values()].slice(-KEEP);
    for (let n = newest.length; n >= 0; n--) {
      try {
        if (n === 0) this.storage.removeItem(STORAGE_KEY);
        else this.storage.setItem(STORAGE_KEY, JSON.stringify(newest.slice(-n)));
        return;
      } catch {
        // over quota: try with fewer runs
      }
    }
  }
}

function safeSessionStorage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

let shared: ScenarioStore | undefined;

export function scenarioStore(): ScenarioStore {
  shared ??= new ScenarioStore();
  return shared;
}

/** For tests: start afresh (and forget what this tab saved). */
export function resetScenarioStore(): void {
  safeSessionStorage()?.removeItem(STORAGE_KEY);
  shared = undefined;
}

/** Re-renders a Lit element when the store changes. */
export class ScenarioStoreController implements ReactiveController {
  private off?: () => void;
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  get store(): ScenarioStore {
    return scenarioStore();
  }
  hostConnected(): void {
    this.off = scenarioStore().subscribe(() => this.host.requestUpdate());
  }
  hostDisconnected(): void {
    this.off?.();
  }
}
