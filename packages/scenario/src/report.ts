/**
 * What a scenario run prints and writes: per scenario and per hop in the terminal; JUnit XML for CI; an
 * HTML report with the sequence diagram of each scenario (inline SVG: no script, no internet) and its
 * Mermaid source; the raw trace as JSON; and a golden trace with the volatile fields masked, so a change
 * in behaviour shows up as a diff.
 */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hopsOf, toMermaid, type TraceEvent } from '@medmij-sandbox/network';
import type { ScenarioResult } from './runner.js';
import type { Check } from './expectations.js';

/**
 * A failed hop's near misses as lines: each event that came close, then per field what was expected and what it had.
 * `indent`: the lines' left margin.
 */
export function nearMissLines(c: Check, indent: string): string[] {
  if (!c.nearMisses?.length) return [];
  return [
    `${indent}closest in the trace:`,
    ...c.nearMisses.flatMap((m) => [
      `${indent}  #${m.seq} ${m.summary.en}`,
      ...m.differs.map((d) => `${indent}      ${d.field}: expected ${d.expected}, got ${d.actual}`),
    ]),
  ];
}

/** The terminal and the reports speak English: the `en` side of every text (the console shows both languages). */
export function formatResult(r: ScenarioResult): string {
  const { title, rule } = r.scenario;
  if (r.skipped) return `SKIP  ${r.scenario.name}  ${title.en}\n      ${rule.en}\n      – skipped: ${r.skipped}`;
  const lines = [`${r.ok ? 'PASS' : 'FAIL'}  ${r.scenario.name}  ${title.en}  (${r.durationMs} ms)`, `      ${rule.en}`];
  for (const l of r.log) lines.push(`      · ${l.en}`);
  if (r.error) lines.push(`      ✗ could not run: ${r.error}`);
  for (const c of r.checks) {
    lines.push(`      ${c.ok ? '✓' : '✗'} ${c.what.en}${c.ok ? '' : `\n          ${c.message.en}`}`);
    lines.push(...nearMissLines(c, '          '));
  }
  for (const u of r.unobservable ?? []) lines.push(`      – not observable: ${u}`);
  return lines.join('\n');
}

/** Per spec rule: did the outside participant (`--target`) meet it? One row per scenario run against it. */
export interface ConformanceRow {
  rule: string;
  scenario: string;
  /** undetermined: nothing the sandbox could see tells a conformant participant from another. */
  verdict: 'met' | 'not met' | 'undetermined';
  /** Expectations checked, and those only the target could have shown. */
  checked: number;
  unobservable: number;
  /** The first unmet expectation, or why the scenario could not run. */
  why?: string;
}

export function conformanceOf(results: ScenarioResult[]): { target: string; rows: ConformanceRow[] } | undefined {
  const target = results.find((r) => r.target)?.target;
  if (!target) return undefined;
  return {
    target,
    rows: results
      .filter((r) => !r.skipped)
      .map((r) => {
        // Why not: preferably what the sandbox saw for itself, then the participant's own account, then no evidence.
        const failed =
          r.checks.find((c) => !c.ok && !c.evidence && !c.selfReported) ?? r.checks.find((c) => !c.ok && !c.evidence) ?? r.checks.find((c) => !c.ok);
        const verdict = r.error || (failed && !failed.evidence) ? 'not met' : failed ? 'undetermined' : 'met';
        return {
          rule: r.scenario.rule.en,
          scenario: r.scenario.name,
          verdict,
          checked: r.checks.filter((c) => !c.evidence).length,
          unobservable: r.unobservable?.length ?? 0,
          ...(r.error ? { why: r.error } : failed ? { why: `${failed.what.en}: ${failed.message.en}` } : {}),
        };
      }),
  };
}

export function formatConformance(results: ScenarioResult[]): string | undefined {
  const c = conformanceOf(results);
  if (!c) return undefined;
  const met = c.rows.filter((r) => r.verdict === 'met').length;
  const undetermined = c.rows.filter((r) => r.verdict === 'undetermined').length;
  const lines = [`Spec rules met by ${c.target}: ${met} of ${c.rows.length}${undetermined ? ` (${undetermined} undetermined)` : ''}`];
  const label = { met: 'met    ', 'not met': 'NOT MET', undetermined: 'UNKNOWN' } as const;
  for (const r of c.rows)
    lines.push(
      `  ${label[r.verdict]}  ${r.rule}   (${r.scenario}; ${r.checked} checks, ${r.unobservable} not observable from outside)${r.why ? `\n           ${r.why}` : ''}`,
    );
  return lines.join('\n');
}

export function formatSummary(results: ScenarioResult[], ms: number): string {
  const failed = results.filter((r) => !r.ok);
  const skipped = results.filter((r) => r.skipped).length;
  return `${results.length - failed.length - skipped} passed, ${skipped ? `${skipped} skipped, ` : ''}${failed.length} failed (${results.length} scenarios in ${(ms / 1000).toFixed(1)} s)${failed.length ? `\nfailed: ${failed.map((r) => r.scenario.name).join(', ')}` : ''}`;
}

const mark = (r: ScenarioResult) => (r.skipped ? '–' : r.ok ? '✓' : '✗');
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** What a report says of the run as a whole: the afsprakenstelsel its networks spoke. */
export interface ReportAbout {
  afsprakenstelsel?: string;
}

export function toJUnit(results: ScenarioResult[], ms: number, about: ReportAbout = {}): string {
  const failures = results.filter((r) => !r.ok).length;
  const cases = results.map((r) => {
    const failed = r.checks.filter((c) => !c.ok);
    const body = r.skipped
      ? `<skipped message="${esc(r.skipped)}"/>`
      : r.error
        ? `<error message="${esc(r.error)}"/>`
        : failed.length
          ? `<failure message="${esc(`${failed.length} expectation(s) not met`)}">${esc(failed.map((c) => [`${c.what.en}: ${c.message.en}`, ...nearMissLines(c, '  ')].join('\n')).join('\n'))}</failure>`
          : '';
    return `  <testcase classname="scenarios" name="${esc(r.scenario.name)}: ${esc(r.scenario.title.en)}" time="${(r.durationMs / 1000).toFixed(3)}">${body}<system-out>${esc(r.log.map((l) => l.en).join('\n'))}</system-out></testcase>`;
  });
  const properties = about.afsprakenstelsel ? `  <properties><property name="afsprakenstelsel" value="${esc(about.afsprakenstelsel)}"/></properties>\n` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="MedMij Sandbox scenarios" tests="${results.length}" failures="${failures}" errors="0" skipped="${results.filter((r) => r.skipped).length}" time="${(ms / 1000).toFixed(3)}">\n${properties}${cases.join('\n')}\n</testsuite>\n`;
}

/** Times, durations, random ids, tokens, codes, serials and ports masked: what two runs of one behaviour share. */
export const maskVolatile = (s: string) =>
  s
    .replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '<time>')
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>')
    .replace(/\b[0-9a-fA-F]{16,}\b/g, '<hex>')
    .replace(/:\d{4,5}\b/g, ':<port>')
    .replace(/\b\d+ ms\b/g, '<ms>');

/**
 * The trace with what differs between two runs of the same behaviour masked: times, durations, random
 * ids, tokens, codes, serials, ports. What remains is who called whom, with what outcome and why.
 */
export function goldenTrace(events: readonly TraceEvent[]): unknown[] {
  const mask = maskVolatile;
  return events.map((e) => ({
    kind: e.kind,
    reportedBy: e.reportedBy,
    ...(e.side ? { side: e.side } : {}),
    from: e.from,
    to: e.to,
    ...(e.method ? { method: e.method } : {}),
    ...(e.url ? { path: mask(e.url.split('?')[0]!) } : {}),
    ...(e.status !== undefined ? { status: e.status } : {}),
    ...(e.tls ? { verdict: e.tls.verdict } : {}),
    outcome: e.outcome,
    ...(e.rule ? { rule: e.rule } : {}),
    ...(e.reason ? { reason: mask(e.reason) } : {}),
  }));
}

/** A sequence diagram as inline SVG: lanes per participant, one arrow per hop, refusals in red. */
export function sequenceSvg(events: readonly TraceEvent[]): string {
  const hops = hopsOf(events);
  const lanes: string[] = [];
  for (const e of hops) for (const n of [e.from, e.to]) if (!lanes.includes(n)) lanes.push(n);
  const order = [/^browser$/, /^pgo\./, /^stelselnode\./, /\.dvza\./, /^tvs\./, /^pki\./];
  const rank = (n: string) => {
    const i = order.findIndex((r) => r.test(n));
    return i < 0 ? order.length : i;
  };
  lanes.sort((a, b) => rank(a) - rank(b));
  const W = 170;
  const ROW = 26;
  const top = 40;
  const width = Math.max(lanes.length * W, 400);
  const height = top + hops.length * ROW + 20;
  const x = (n: string) => lanes.indexOf(n) * W + W / 2;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="sequence diagram, ${hops.length} hops" font-family="system-ui, sans-serif" font-size="11">`,
  ];
  parts.push(
    '<defs><marker id="a" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>',
  );
  for (const n of lanes) {
    parts.push(
      `<text x="${x(n)}" y="18" text-anchor="middle" font-weight="bold">${esc(n)}</text><line x1="${x(n)}" y1="26" x2="${x(n)}" y2="${height - 10}" stroke="#bbb" stroke-dasharray="4 3"/>`,
    );
  }
  hops.forEach((e, i) => {
    const y = top + i * ROW + 10;
    const refused = e.outcome === 'refused' || e.outcome === 'error' || (e.status ?? 0) >= 400;
    const colour = refused ? '#b00020' : e.outcome === 'warning' ? '#8a5a00' : '#154273';
    const label = e.kind === 'tls' ? `TLS refused: ${e.tls?.verdict ?? ''}` : `${e.method ?? ''} ${(e.url ?? '').split('?')[0]} → ${e.status ?? e.outcome}`;
    const [x1, x2] = [x(e.from), x(e.to)];
    parts.push(`<line x1="${x1}" y1="${y}" x2="${x2 === x1 ? x1 + 30 : x2}" y2="${y}" stroke="${colour}" stroke-width="1.5" marker-end="url(#a)"/>`);
    parts.push(`<text x="${(x1 + x2) / 2}" y="${y - 4}" text-anchor="middle" fill="${colour}">${esc(label.slice(0, 60))}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A failed hop's near misses in the report: the events that came close, each with the fields it differs in. */
function nearMissHtml(c: Check): string {
  if (!c.nearMisses?.length) return '';
  const misses = c.nearMisses.map(
    (m) =>
      `<li>#${m.seq} ${esc(m.summary.en)}<ul>${m.differs.map((d) => `<li><code>${esc(d.field)}</code>: expected <code>${esc(d.expected)}</code>, got <code>${esc(d.actual)}</code></li>`).join('')}</ul></li>`,
  );
  return `<div class="near">closest in the trace:<ol>${misses.join('')}</ol></div>`;
}

export function toHtml(results: ScenarioResult[], ms: number, about: ReportAbout = {}): string {
  const sections = results.map((r) => {
    const checks = r.checks
      .map(
        (c) => `<tr class="${c.ok ? 'ok' : 'fail'}"><td>${c.ok ? '✓' : '✗'}</td><td>${esc(c.what.en)}</td><td>${esc(c.message.en)}${nearMissHtml(c)}</td></tr>`,
      )
      .join('');
    return `<section id="${esc(r.scenario.name)}">
<h2>${mark(r)} ${esc(r.scenario.title.en)} <small>${esc(r.scenario.name)} · ${r.durationMs} ms</small></h2>
<p>${esc(r.scenario.teaches.en)}</p><p class="rule">${esc(r.scenario.rule.en)}</p>
${r.skipped ? `<p>Skipped: ${esc(r.skipped)}</p>` : ''}${r.error ? `<p class="fail">Could not run: ${esc(r.error)}</p>` : ''}
<ol class="log">${r.log.map((l) => `<li>${esc(l.en)}</li>`).join('')}</ol>
<table><thead><tr><th></th><th>expected</th><th>found</th></tr></thead><tbody>${checks}${(r.unobservable ?? []).map((u) => `<tr class="unobservable"><td>–</td><td>${esc(u)}</td><td>not observable: only the participant under test could show it</td></tr>`).join('')}</tbody></table>
<div class="diagram">${sequenceSvg(r.events)}</div>
<details><summary>Mermaid source</summary><pre>${esc(toMermaid(r.events, r.scenario.title.en))}</pre></details>
<p><a href="${esc(r.scenario.name)}.trace.json">raw trace (JSON)</a> · <a href="${esc(r.scenario.name)}.golden.json">golden trace (masked)</a></p>
</section>`;
  });
  const failed = results.filter((r) => !r.ok).length;
  const skipped = results.filter((r) => r.skipped).length;
  const conformance = conformanceOf(results);
  const conformanceTable = conformance
    ? `<h2>Spec rules met by ${esc(conformance.target)}</h2><p>${conformance.rows.filter((r) => r.verdict === 'met').length} of ${conformance.rows.length} rules met. Checked from the outside: what the other participants saw and what the participant answered.</p>
<table><thead><tr><th></th><th>rule</th><th>scenario</th><th>checks</th><th>not observable</th><th>why not</th></tr></thead><tbody>${conformance.rows
        .map(
          (r) =>
            `<tr class="${r.verdict === 'met' ? 'ok' : 'fail'}"><td>${r.verdict === 'met' ? '✓' : r.verdict === 'undetermined' ? '?' : '✗'}</td><td>${esc(r.rule)}</td><td><a href="#${esc(r.scenario)}">${esc(r.scenario)}</a></td><td>${r.checked}</td><td>${r.unobservable}</td><td>${esc(r.why ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MedMij Sandbox scenarios</title><style>
body{font-family:system-ui,sans-serif;margin:2rem;color:#1a1a1a}h1{color:#154273}section{border-top:2px solid #ddd;padding-top:1rem;margin-top:2rem}
small{color:#555;font-weight:normal}.rule{color:#555;font-style:italic}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
tr.fail td,.fail{color:#b00020}tr.unobservable td{color:#666}tr.ok td:first-child{color:#1d6b3a}.diagram{overflow-x:auto;border:1px solid #eee;padding:.5rem}pre{background:#f6f6f6;padding:.5rem;overflow-x:auto}
</style></head><body><h1>MedMij Sandbox scenarios${about.afsprakenstelsel ? ` <small>afsprakenstelsel ${esc(about.afsprakenstelsel)}</small>` : ''}</h1><p>${results.length - failed - skipped} passed, ${skipped ? `${skipped} skipped, ` : ''}${failed} failed, ${(ms / 1000).toFixed(1)} s. NOT FOR PRODUCTION: synthetic network and data.</p>
${conformanceTable}
<ul>${results.map((r) => `<li><a href="#${esc(r.scenario.name)}">${mark(r)} ${esc(r.scenario.title.en)}</a></li>`).join('')}</ul>
${sections.join('\n')}</body></html>\n`;
}

function writePrivate(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function writeReport(dir: string, results: ScenarioResult[], ms: number, about: ReportAbout = {}): string[] {
  mkdirSync(dir, { recursive: true });
  const written = [join(dir, 'junit.xml'), join(dir, 'report.html')];
  writeFileSync(written[0]!, toJUnit(results, ms, about));
  // The report and the raw traces hold the DVZA's view (BSNs, names): for the operator only, as the trace is.
  writePrivate(written[1]!, toHtml(results, ms, about));
  const conformance = conformanceOf(results);
  if (conformance) {
    written.push(join(dir, 'conformance.json'));
    writeFileSync(join(dir, 'conformance.json'), `${JSON.stringify(conformance, null, 2)}\n`);
  }
  for (const r of results) {
    writePrivate(join(dir, `${r.scenario.name}.trace.json`), JSON.stringify(r.events, null, 2));
    writeFileSync(join(dir, `${r.scenario.name}.golden.json`), `${JSON.stringify(goldenTrace(r.events), null, 2)}\n`);
    written.push(join(dir, `${r.scenario.name}.trace.json`), join(dir, `${r.scenario.name}.golden.json`));
  }
  return written;
}

/**
 * Compares a run's masked trace with the committed golden trace: the first event that differs, or
 * undefined when they are the same.
 */
export function goldenDifference(golden: unknown[], actual: unknown[]): string | undefined {
  const n = Math.max(golden.length, actual.length);
  for (let i = 0; i < n; i++) {
    const want = JSON.stringify(golden[i]);
    const got = JSON.stringify(actual[i]);
    if (want !== got) {
      return `event ${i + 1} of ${actual.length} (golden: ${golden.length}) differs\n          golden: ${want ?? '(none)'}\n          now:    ${got ?? '(none)'}`;
    }
  }
  return undefined;
}
