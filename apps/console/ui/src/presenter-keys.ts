/**
 * Stepping through presenter mode with the keyboard (anywhere on the page, not while typing):
 * ArrowRight, Space or PageDown next; ArrowLeft or PageUp previous (presentation clickers send
 * PageDown/PageUp); Home the intro; End the last hop. Pure: which step a key press asks for, so the
 * element only listens and moves.
 */

/**
 * The step (0 = intro, clamped later by the caller) a key press asks for, or undefined when the key is not
 * presenter mode's: another key, a modifier held, typing in a field, Space on a button or link (it
 * activates the control), or a press some other handler already took.
 */
export function stepForKey(ev: KeyboardEvent, current: number, stepCount: number): number | undefined {
  if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey) return undefined;
  const target = (ev.composedPath()[0] ?? ev.target) as HTMLElement | null;
  const tag = target?.tagName ?? '';
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target?.isContentEditable) return undefined;
  // Space on a button or link activates it (Vorige, Volgende, a diagram row): leave it to the browser.
  const onControl = tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY';
  switch (ev.key) {
    case 'ArrowRight':
    case 'PageDown':
      return current + 1;
    case ' ':
      return onControl ? undefined : current + 1;
    case 'ArrowLeft':
    case 'PageUp':
      return current - 1;
    case 'Home':
      return 0;
    case 'End':
      return stepCount;
    default:
      return undefined;
  }
}

/** K (kernmoment): to the next key hop; not while typing, not with a modifier held. */
export function wantsNextKey(ev: KeyboardEvent): boolean {
  if (ev.defaultPrevented || ev.altKey || ev.ctrlKey || ev.metaKey) return false;
  const target = (ev.composedPath()[0] ?? ev.target) as HTMLElement | null;
  const tag = target?.tagName ?? '';
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target?.isContentEditable) return false;
  return ev.key === 'k' || ev.key === 'K';
}
