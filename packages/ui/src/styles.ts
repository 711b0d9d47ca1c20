/**
 * Shared styles of every component (shadow DOM does not inherit page CSS). Colours were picked for at
 * least 4.5:1 contrast on their backgrounds; state is never told by colour alone (there is always text).
 */
import { css } from 'lit';

export const shared = css`
  :host {
    --pgo-text: #1b1f24;
    --pgo-muted: #4a5260;
    --pgo-bg: #f5f6f8;
    --pgo-surface: #ffffff;
    --pgo-border: #c9ced6;
    --pgo-primary: #0b5cab;
    --pgo-primary-dark: #08447f;
    --pgo-focus: #1d4ed8;
    --pgo-ok-bg: #e3f4e8;
    --pgo-ok-text: #14532d;
    --pgo-warn-bg: #fff1cc;
    --pgo-warn-text: #6b3d00;
    --pgo-bad-bg: #fde8e8;
    --pgo-bad-text: #9b1c1c;
    --pgo-none-bg: #eceff3;
    --pgo-none-text: #3d4450;
    --pgo-line-ok: #3b4656;
    --pgo-line-warn: #b26a00;
    --pgo-line-bad: #c62828;
    color: var(--pgo-text);
    font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
    line-height: 1.5;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3,
  h4 {
    line-height: 1.25;
    margin: 0 0 0.5rem;
  }
  h1 {
    font-size: 1.6rem;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1.05rem;
  }
  p {
    margin: 0 0 0.5rem;
  }
  a {
    color: var(--pgo-primary);
  }
  a:hover {
    color: var(--pgo-primary-dark);
  }
  :focus-visible {
    outline: 3px solid var(--pgo-focus);
    outline-offset: 2px;
    border-radius: 2px;
  }
  button,
  input,
  select {
    font: inherit;
  }
  button {
    cursor: pointer;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.4rem 0.85rem;
    border-radius: 6px;
    border: 1px solid var(--pgo-primary);
    background: var(--pgo-primary);
    color: #fff;
    text-decoration: none;
    font-weight: 600;
  }
  .btn:hover {
    background: var(--pgo-primary-dark);
    color: #fff;
  }
  .btn[disabled] {
    background: #6b7280;
    border-color: #6b7280;
    cursor: progress;
  }
  .btn.secondary {
    background: var(--pgo-surface);
    color: var(--pgo-primary);
  }
  .btn.secondary:hover {
    background: #e8f0fa;
    color: var(--pgo-primary-dark);
  }
  .btn.secondary[aria-expanded='true'] {
    background: #dbe7f6;
    color: var(--pgo-primary-dark);
  }
  .btn.small {
    padding: 0.15rem 0.55rem;
    font-size: 0.875rem;
    font-weight: 500;
  }
  .linklike {
    background: none;
    border: none;
    padding: 0;
    color: var(--pgo-primary);
    text-decoration: underline;
  }
  input[type='text'],
  input[type='password'],
  input[type='search'],
  select {
    padding: 0.45rem 0.6rem;
    border: 1px solid #6b7280;
    border-radius: 6px;
    background: #fff;
    color: var(--pgo-text);
    max-width: 100%;
  }
  .card {
    background: var(--pgo-surface);
    border: 1px solid var(--pgo-border);
    border-radius: 10px;
    padding: 1rem 1.25rem;
    margin-bottom: 1rem;
  }
  .muted {
    color: var(--pgo-muted);
  }
  .small {
    font-size: 0.875rem;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    padding: 0;
    margin: -1px;
    overflow: hidden;
    clip: rect(0, 0, 0, 0);
    white-space: nowrap;
    border: 0;
  }
  .badge {
    display: inline-block;
    padding: 0.05rem 0.55rem;
    border-radius: 999px;
    font-size: 0.8125rem;
    font-weight: 600;
    white-space: nowrap;
    border: 1px solid transparent;
  }
  .badge.ok {
    background: var(--pgo-ok-bg);
    color: var(--pgo-ok-text);
    border-color: #9bd3ad;
  }
  .badge.warn {
    background: var(--pgo-warn-bg);
    color: var(--pgo-warn-text);
    border-color: #e8c15c;
  }
  .badge.bad {
    background: var(--pgo-bad-bg);
    color: var(--pgo-bad-text);
    border-color: #f0a9a9;
  }
  .badge.none {
    background: var(--pgo-none-bg);
    color: var(--pgo-none-text);
    border-color: #c9ced6;
  }
  .error {
    background: var(--pgo-bad-bg);
    color: var(--pgo-bad-text);
    border: 1px solid #f0a9a9;
    border-radius: 8px;
    padding: 0.6rem 0.8rem;
  }
  .error:empty {
    display: none;
  }
  code,
  pre {
    font-family: ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace;
    font-size: 0.85em;
  }
  code {
    background: #eef1f5;
    padding: 0 0.25rem;
    border-radius: 4px;
  }
  pre {
    background: #f3f5f8;
    border: 1px solid var(--pgo-border);
    border-radius: 6px;
    padding: 0.6rem 0.75rem;
    overflow: auto;
    max-height: 28rem;
    margin: 0.25rem 0 0.5rem;
    white-space: pre;
  }
  table {
    border-collapse: collapse;
    width: 100%;
    font-size: 0.9375rem;
  }
  caption {
    text-align: left;
    font-weight: 600;
    padding: 0.25rem 0;
  }
  th,
  td {
    text-align: left;
    vertical-align: top;
    padding: 0.35rem 0.5rem;
    border-bottom: 1px solid #e1e4e9;
  }
  th {
    background: #f0f2f5;
    font-weight: 600;
  }
  /* Scrolls on its own on a narrow screen; positioned, so visually hidden text in a cell (position: absolute) is
     clipped by it too instead of widening the whole page. */
  .table-wrap {
    overflow-x: auto;
    position: relative;
  }
  details > summary {
    cursor: pointer;
    color: var(--pgo-primary);
    font-weight: 600;
  }
  dl.pairs {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.15rem 1rem;
    margin: 0;
  }
  dl.pairs dt {
    color: var(--pgo-muted);
  }
  dl.pairs dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  /* A busy indicator beside a button's text (loading zorgaanbieders, a scenario run). */
  .spinner {
    width: 0.9rem;
    height: 0.9rem;
    border: 2px solid currentColor;
    border-right-color: transparent;
    border-radius: 50%;
    animation: spin 0.8s linear infinite;
  }
  @keyframes spin {
    to {
      transform: rotate(360deg);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation: none;
    }
  }
  /* A labelled search box above a list (zorgaanbieders, scenarios). */
  .search-field {
    display: grid;
    gap: 0.25rem;
    max-width: 36rem;
  }
  .search-field label {
    font-weight: 600;
  }
  .search-field input {
    width: 100%;
  }
  ul.plain {
    list-style: none;
    margin: 0;
    padding: 0;
  }
`;

/**
 * The page shell both web UIs draw around their pages: a skip link, the top bar (brand, navigation, the
 * account or operator controls), main and footer. Each app sets its bar colour with `--shell-bar` on :host
 * (the PGO blue, the console purple), so a person sees at once which of the two they are in.
 */
export const appShell = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 100vh;
    background: var(--pgo-bg);
  }
  .skip {
    position: absolute;
    left: 0.5rem;
    top: -10rem;
    z-index: 10;
    background: #fff;
    padding: 0.5rem 0.75rem;
    border: 2px solid var(--pgo-focus);
  }
  .skip:focus {
    top: 0.5rem;
  }
  .bar {
    background: var(--shell-bar);
    color: #fff;
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 0.5rem 1.5rem;
    padding: 0.6rem 1.25rem;
  }
  .brand {
    color: #fff;
    font-weight: 700;
    font-size: 1.1rem;
    text-decoration: none;
  }
  .brand:hover {
    color: #fff;
    text-decoration: underline;
  }
  nav ul {
    list-style: none;
    display: flex;
    gap: 0.25rem;
    margin: 0;
    padding: 0;
    flex-wrap: wrap;
  }
  nav a {
    color: #fff;
    text-decoration: none;
    padding: 0.3rem 0.6rem;
    border-radius: 6px;
    display: inline-block;
  }
  nav a:hover {
    background: rgba(255, 255, 255, 0.12);
    color: #fff;
  }
  nav a[aria-current='page'] {
    background: #fff;
    color: var(--shell-bar);
    font-weight: 600;
  }
  .bar :focus-visible {
    outline-color: #ffd23f;
  }
  /* What sits at the right of the bar: the person's account (PGO) or the operator's role (console). */
  .bar-end {
    margin-left: auto;
    display: flex;
    align-items: center;
    gap: 0.75rem;
    flex-wrap: wrap;
  }
  main {
    flex: 1;
    width: 100%;
    max-width: 120rem;
    margin: 0 auto;
    padding: 1.25rem;
  }
  main:focus {
    outline: none;
  }
  footer {
    padding: 0.75rem 1.25rem;
    font-size: 0.85rem;
    color: var(--pgo-muted);
    border-top: 1px solid var(--pgo-border);
    background: #fff;
  }
`;
