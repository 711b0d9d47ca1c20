/**
 * The UI language of every sandbox web UI (PGO, console): Dutch by default, English on request, persisted in localStorage and mirrored in
 * <html lang>. Texts sit next to where they are used, as `t('Nederlands', 'English')` pairs, so a
 * component reads as one piece and no text can miss its translation.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type Lang = 'nl' | 'en';

/** A text in both languages, as the servers send them (ApiError messages, rule and reason texts). */
export interface Bilingual {
  nl: string;
  en: string;
}

/** One key for every sandbox UI: each origin (PGO, console) keeps its own choice. */
const STORAGE_KEY = 'medmij-sandbox.lang';
const listeners = new Set<() => void>();

function stored(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'nl';
  } catch {
    return 'nl'; // storage disabled: default language
  }
}

let current: Lang = stored();

export function lang(): Lang {
  return current;
}

/** BCP 47 locale for Intl formatting. */
export function locale(): string {
  return current === 'nl' ? 'nl-NL' : 'en-GB';
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // storage disabled: the choice lasts for this page only
  }
  applyDocumentLang();
  for (const listener of listeners) listener();
}

/** Sets <html lang> to the current language (call once at start; setLang keeps it in sync). */
export function applyDocumentLang(): void {
  document.documentElement.lang = current;
}

/** The text in the current language. */
export function t(nl: string, en: string): string {
  return current === 'nl' ? nl : en;
}

/** A server-provided bilingual text in the current language. */
export function bi(text: Bilingual | undefined): string {
  return text ? text[current] : '';
}

export function onLangChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Re-renders a Lit element when the language changes. */
export class LangController implements ReactiveController {
  private off?: () => void;
  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }
  hostConnected(): void {
    this.off = onLangChange(() => this.host.requestUpdate());
  }
  hostDisconnected(): void {
    this.off?.();
  }
}
