/**
 * `<span ${styleProps({ 'grid-column': '2 / 4' })}>`: sets inline style properties through the CSSOM
 * (element.style.setProperty), never as a `style="…"` attribute. A strict Content-Security-Policy
 * (style-src 'self', no 'unsafe-inline') blocks style attributes, including the first render of Lit's
 * styleMap, but not CSSOM writes.
 */
import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

class StyleProps extends Directive {
  private keys = new Set<string>();

  constructor(info: PartInfo) {
    super(info);
    if (info.type !== PartType.ELEMENT) throw new Error('styleProps must be used on an element, not in an attribute');
  }

  render(_props: Record<string, string>) {
    return noChange;
  }

  override update(part: ElementPart, [props]: [Record<string, string>]) {
    const style = (part.element as HTMLElement | SVGElement).style;
    for (const key of this.keys) if (!(key in props)) style.removeProperty(key);
    for (const [key, value] of Object.entries(props)) style.setProperty(key, value);
    this.keys = new Set(Object.keys(props));
    return noChange;
  }
}

export const styleProps = directive(StyleProps);
