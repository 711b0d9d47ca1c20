/** What the web UIs' browser tests share: mount a Lit element, run axe-core over the page (it pierces open shadow roots), find through shadow roots, hold fake replies. */
import axe from 'axe-core';
import type { LitElement } from 'lit';

export async function mount<T extends LitElement>(tag: string, props: Partial<T> = {}, attrs: Record<string, string> = {}): Promise<T> {
  document.body.innerHTML = '';
  const el = document.createElement(tag) as T;
  Object.assign(el, props);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  // A landmark around the component, as in the app (axe's "region" rule wants content in landmarks).
  const main = document.createElement('main');
  main.append(el);
  document.body.append(main);
  await el.updateComplete;
  return el;
}

/** axe-core with the WCAG 2.x A/AA rules and best practices; returns a readable list of violations. */
export async function axeViolations(): Promise<string[]> {
  const result = await axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
    // A component on its own has no page title / h1 context of the app shell.
    rules: { 'page-has-heading-one': { enabled: false }, 'document-title': { enabled: false } },
  });
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
}

/** All elements matching a selector, through open shadow roots. */
export function deepQueryAll<E extends Element = Element>(selector: string, root: Element | ShadowRoot | Document = document): E[] {
  const out: E[] = [];
  const visit = (node: Element | ShadowRoot | Document) => {
    out.push(...(node.querySelectorAll(selector) as NodeListOf<E>));
    for (const el of node.querySelectorAll('*')) if (el.shadowRoot) visit(el.shadowRoot);
  };
  visit(root);
  return out;
}

export function deepText(root: Element): string {
  const parts: string[] = [];
  const visit = (node: Node) => {
    if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
    const el = node as Element;
    if (el.shadowRoot) el.shadowRoot.childNodes.forEach(visit);
    node.childNodes.forEach(visit);
  };
  visit(root);
  return parts.join(' ').replace(/\s+/g, ' ');
}

/** The focused element, inside open shadow roots. */
export function deepActiveElement(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/**
 * A reply of a fake API that the test holds back and lets go itself: the fake awaits `passed()`, the test
 * asserts what the page shows meanwhile (busy, "Laden…"), then calls `release()`. While not `hold()`ing,
 * replies pass at once. Nothing in a test waits on the clock.
 */
export class Hold {
  private gate: Promise<void> = Promise.resolve();
  private open: () => void = () => {};

  /** From now on, replies wait until `release()`. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  /** Lets the held replies go; later ones pass at once. */
  release(): void {
    this.open();
    this.gate = Promise.resolve();
  }

  passed(): Promise<void> {
    return this.gate;
  }
}

/** A promise the test settles itself (an answer of a stubbed API call, given when the test says so). */
export function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (reason: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * Resolves in a new task (a posted message, not a timer): after every promise callback already queued.
 * Once a stubbed call has been answered, the page's handling of that answer is promise callbacks only, so
 * after this it is done: a test can then check that an answer changed nothing (e.g. a superseded load).
 */
export function afterPendingCallbacks(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/** The generous ceiling of a wait for something that will happen: a safety net for a hang, not a deadline. */
export const SAFETY_NET = { timeout: 20_000 };
