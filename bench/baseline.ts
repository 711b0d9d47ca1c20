/**
 * The committed baseline (bench/baseline.json): what each bench line measured before the last change that
 * moved it. `npm run bench` prints every value beside its baseline; `npm run bench -- --write-baseline`
 * writes the values of this run as the new baseline. A new bench line is measured on the unchanged code
 * first, so its baseline says what the change it comes with did.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BaselineLine {
  value: number;
  unit: string;
  /** A line added after the baseline's commit: when and on what it was first measured. */
  note?: string;
}

export interface Baseline {
  /** Where and on what the numbers were measured. */
  measuredOn: string;
  commit: string;
  lines: Record<string, BaselineLine>;
}

const FILE = join(import.meta.dirname, 'baseline.json');

export function readBaseline(): Baseline | undefined {
  return existsSync(FILE) ? (JSON.parse(readFileSync(FILE, 'utf8')) as Baseline) : undefined;
}

export function writeBaseline(b: Baseline): void {
  writeFileSync(FILE, `${JSON.stringify(b, null, 2)}\n`);
}

/** `12.3 ms   (baseline 10.1 ms, +22%)`, or `(no baseline yet)`. */
export function besideBaseline(line: BaselineLine, base: BaselineLine | undefined): string {
  if (!base) return '(no baseline yet)';
  const change = base.value === 0 ? 0 : Math.round(((line.value - base.value) / base.value) * 100);
  return `(baseline ${format(base)}, ${change >= 0 ? '+' : ''}${change}%)`;
}

export function format(line: BaselineLine): string {
  const digits = line.value >= 100 ? 0 : line.value >= 10 ? 1 : 2;
  return `${line.value.toFixed(digits)} ${line.unit}`;
}
