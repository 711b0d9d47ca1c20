/**
 * The same catalogue against two afsprakenstelsels, side by side: per scenario the verdict in each version and the
 * first hop where the two traces part — what changed from 1.5 to 2, shown on real runs rather than told.
 *
 * Hops are compared as the golden traces are (times, ids, codes and ports masked), with the `scope` of an
 * authorization request kept: it is where the two grammars differ first. List fetches are left out of the
 * comparison — 2 fetches five lists where 1.5 fetches four, on every flow — and so are their decisions.
 */
import { hopsOf, type TraceEvent } from '@medmij-sandbox/network';
import type { Afsprakenstelsel } from '@medmij-sandbox/network/afsprakenstelsel';
import { maskVolatile } from './report.js';
import type { ScenarioResult } from './runner.js';

export type Verdict = 'passed' | 'failed' | 'skipped' | 'not run';

export interface Difference {
  /** 1-based position among the compared hops (or decisions). */
  at: number;
  /** What each version has there; undefined when its trace ended before. */
  left?: string;
  right?: string;
}

export interface VersionComparison {
  name: string;
  title: string;
  verdicts: [Verdict, Verdict];
  /** The first hop where the traces differ; undefined when every compared hop is the same (or one did not run). */
  hop?: Difference;
  /** The first hop where they differ apart from the scope (which differs in every flow): what else changed. */
  beyondScope?: Difference;
  /** The first decision (who decided what, why) where they differ. */
  decision?: Difference;
  /** Hops compared in each version. */
  hops: [number, number];
}

const mask = maskVolatile;

const short = (host: string) => host.split('.')[0]!;
const isListFetch = (e: TraceEvent) => /\/MedMij_[A-Za-z]+\.xml$/.test((e.url ?? '').split('?')[0]!);
// Each list consumer reports what it did with every list it fetched: noise for a comparison of flows.
const isListDecision = (e: TraceEvent) =>
  (e.ruleId ?? '').startsWith('lists.') || /(lijst|OAuthclientlist|Whitelist) (unchanged|accepted)/.test(e.reason ?? '');

export function describeHop(e: TraceEvent): string {
  if (e.kind === 'tls') return `TLS ${short(e.from)} → ${short(e.to)} ${e.tls?.verdict ?? ''}`.trim();
  const [path, query] = (e.url ?? '').split('?') as [string, string | undefined];
  const scope = query ? new URLSearchParams(query).get('scope') : null;
  const status = e.status ?? e.outcome;
  return `${short(e.from)} → ${short(e.to)} ${e.method ?? ''} ${mask(path)}${scope !== null ? `?scope=${scope}` : ''} ${status}`.replace(/\s+/g, ' ');
}

const describeDecision = (e: TraceEvent) => `${short(e.reportedBy)} ${e.outcome}: ${mask(e.reason ?? '')}`;

function firstDifference(left: string[], right: string[]): Difference | undefined {
  const n = Math.max(left.length, right.length);
  for (let i = 0; i < n; i++) {
    if (left[i] !== right[i]) return { at: i + 1, ...(left[i] !== undefined ? { left: left[i] } : {}), ...(right[i] !== undefined ? { right: right[i] } : {}) };
  }
  return undefined;
}

const verdictOf = (r: ScenarioResult | undefined): Verdict => (!r ? 'not run' : r.skipped ? 'skipped' : r.ok ? 'passed' : 'failed');

/** Compares two runs of the same scenarios (in each version), in the order of the first. */
export function compareVersions(left: readonly ScenarioResult[], right: readonly ScenarioResult[]): VersionComparison[] {
  const names = [...new Set([...left, ...right].map((r) => r.scenario.name))];
  return names.map((name) => {
    const a = left.find((r) => r.scenario.name === name);
    const b = right.find((r) => r.scenario.name === name);
    const hopsA =
      a && !a.skipped
        ? hopsOf(a.events)
            .filter((e) => !isListFetch(e))
            .map(describeHop)
        : [];
    const hopsB =
      b && !b.skipped
        ? hopsOf(b.events)
            .filter((e) => !isListFetch(e))
            .map(describeHop)
        : [];
    const decisions = (r: ScenarioResult | undefined) =>
      r && !r.skipped ? r.events.filter((e) => e.kind === 'decision' && !isListDecision(e)).map(describeDecision) : [];
    const both = !!a && !!b && !a.skipped && !b.skipped;
    const hop = both ? firstDifference(hopsA, hopsB) : undefined;
    const noScope = (hops: string[]) => hops.map((h) => h.replace(/\?scope=\S*/, ''));
    const beyondScope = hop ? firstDifference(noScope(hopsA), noScope(hopsB)) : undefined;
    const decision = both ? firstDifference(decisions(a), decisions(b)) : undefined;
    return {
      name,
      title: (a ?? b)!.scenario.title.en,
      verdicts: [verdictOf(a), verdictOf(b)],
      ...(hop ? { hop } : {}),
      ...(beyondScope && beyondScope.at !== hop?.at ? { beyondScope } : {}),
      ...(decision ? { decision } : {}),
      hops: [hopsA.length, hopsB.length],
    };
  });
}

/** The comparison as the terminal shows it: a line per scenario, the first difference under it. */
export function formatComparison(rows: readonly VersionComparison[], versions: readonly [Afsprakenstelsel, Afsprakenstelsel]): string {
  const [v1, v2] = versions;
  const width = Math.max(...rows.map((r) => r.name.length), 8);
  const lines = [`${'scenario'.padEnd(width)}  ${v1.padEnd(7)}  ${v2.padEnd(7)}  first difference (list fetches left out)`];
  for (const r of rows) {
    const same = r.verdicts[0] !== 'skipped' && r.verdicts[1] !== 'skipped' && !r.hop && !r.decision;
    const head = `${r.name.padEnd(width)}  ${r.verdicts[0].padEnd(7)}  ${r.verdicts[1].padEnd(7)}  `;
    if (r.verdicts.includes('skipped') || r.verdicts.includes('not run')) {
      lines.push(`${head}only in afsprakenstelsel ${r.verdicts[0] === 'passed' || r.verdicts[0] === 'failed' ? v1 : v2}`);
    } else if (same) {
      lines.push(`${head}none: the same ${r.hops[0]} hops and the same decisions`);
    } else if (r.hop) {
      const pad = ' '.repeat(width + 20);
      lines.push(
        `${head}hop ${r.hop.at}:`,
        `${pad}${v1.padEnd(4)} ${r.hop.left ?? '(trace ended)'}`,
        `${pad}${v2.padEnd(4)} ${r.hop.right ?? '(trace ended)'}`,
      );
      const b = r.beyondScope;
      if (b)
        lines.push(
          `${pad}apart from the scope, hop ${b.at}:`,
          `${pad}${v1.padEnd(4)} ${b.left ?? '(trace ended)'}`,
          `${pad}${v2.padEnd(4)} ${b.right ?? '(trace ended)'}`,
        );
      else if (r.hops[0] === r.hops[1]) lines.push(`${pad}apart from the scope the same ${r.hops[0]} hops`);
    } else {
      lines.push(`${head}the same ${r.hops[0]} hops; decision ${r.decision!.at}:`);
      lines.push(
        `${' '.repeat(width + 20)}${v1.padEnd(4)} ${r.decision!.left ?? '(none)'}`,
        `${' '.repeat(width + 20)}${v2.padEnd(4)} ${r.decision!.right ?? '(none)'}`,
      );
    }
  }
  const ran = (v: Verdict) => v === 'passed' || v === 'failed';
  const inBoth = rows.filter((r) => ran(r.verdicts[0]) && ran(r.verdicts[1]));
  const differ = inBoth.filter((r) => r.verdicts[0] !== r.verdicts[1]).length;
  const oneOnly = rows.length - inBoth.length;
  lines.push(
    '',
    `${rows.length} scenarios: ${inBoth.length} in both (${differ === 0 ? 'the same verdict' : `${differ} with a different verdict`})${oneOnly ? `, ${oneOnly} in one version only` : ''}`,
  );
  return lines.join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The comparison as one HTML page (beside report.html): a row per scenario. */
export function comparisonHtml(rows: readonly VersionComparison[], versions: readonly [Afsprakenstelsel, Afsprakenstelsel]): string {
  const cell = (v: Verdict) => `<td class="${v === 'failed' ? 'fail' : v === 'passed' ? 'ok' : 'skip'}">${v}</td>`;
  const diff = (d: Difference | undefined, what: string) =>
    d
      ? `<div><b>${what} ${d.at}</b><br><code>${versions[0]}: ${esc(d.left ?? '(none)')}</code><br><code>${versions[1]}: ${esc(d.right ?? '(none)')}</code></div>`
      : '';
  const body = rows
    .map(
      (r) =>
        `<tr><td><b>${esc(r.name)}</b><br>${esc(r.title)}</td>${cell(r.verdicts[0])}${cell(r.verdicts[1])}<td>${
          r.verdicts.includes('skipped') || r.verdicts.includes('not run')
            ? 'one version only'
            : r.hop || r.decision
              ? diff(r.hop, 'hop') + diff(r.beyondScope, 'apart from the scope, hop') + diff(r.decision, 'decision')
              : 'none'
        }</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MedMij Sandbox: afsprakenstelsel ${versions[0]} and ${versions[1]} side by side</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}.ok{color:#176f2c}.fail{color:#b00020;font-weight:bold}.skip{color:#777}code{font-size:12px}</style></head>
<body><h1>Afsprakenstelsel ${versions[0]} and ${versions[1]} side by side</h1><p>The same scenarios on a fresh network of each version. Hops are compared with times, ids, codes and ports masked and list fetches left out. NOT FOR PRODUCTION: synthetic network and data.</p>
<table><tr><th>scenario</th><th>${versions[0]}</th><th>${versions[1]}</th><th>first difference</th></tr>
${body}
</table></body></html>
`;
}
