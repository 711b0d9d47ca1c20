/**
 * YAML checked against a zod schema, with errors that name the file, the line and the field — the one
 * way every sandbox file (topology.yaml, scenarios/*.yaml) reports a mistake.
 */
import { LineCounter, isNode, parseDocument } from 'yaml';
import type { z } from 'zod';
import { SandboxError } from './errors.js';

export function parseYamlWithSchema<S extends z.ZodType>(text: string, file: string, schema: S, what: string): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const { line, col } = lineCounter.linePos(e.pos[0]);
    throw new SandboxError(`${file}:${line}:${col}: not valid YAML: ${e.message.split('\n')[0]}`);
  }
  const result = schema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const messages = result.error.issues.slice(0, 10).map((issue) => {
    const path = issue.path as (string | number)[];
    // Point at the deepest node that exists in the file, so "missing field" errors still get a line.
    let line: number | undefined;
    for (let n = path.length; n >= 0 && line === undefined; n--) {
      const node = doc.getIn(path.slice(0, n), true);
      if (isNode(node) && node.range) line = lineCounter.linePos(node.range[0]).line;
    }
    return `${file}${line ? `:${line}` : ''}: ${formatPath(path)}: ${issue.message}`;
  });
  const more = result.error.issues.length > 10 ? `\n(and ${result.error.issues.length - 10} more)` : '';
  throw new SandboxError(`invalid ${what}\n${messages.join('\n')}${more}`);
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
