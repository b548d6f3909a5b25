import { css } from 'lit';

/**
 * Shared component styles: large, calm, readable by a 60-year-old on a cheap phone. Touch targets
 * are at least 44 px; nothing scrolls sideways at 360 px; focus is always visible.
 */
export const baseStyles = css`
  :host {
    display: block;
    font-family: var(--mj-font);
    color: var(--mj-ink);
  }
  *, *::before, *::after { box-sizing: border-box; }
  h1 { font-size: 1.5rem; margin: 0 0 1rem; line-height: 1.3; }
  h2 { font-size: 1.2rem; margin: 1.5rem 0 0.75rem; }
  h3 { font-size: 1.05rem; margin: 1rem 0 0.5rem; }
  p { margin: 0.5rem 0; }
  a { color: var(--mj-focus); }
  :focus-visible { outline: 3px solid var(--mj-focus); outline-offset: 2px; }
  .muted { color: var(--mj-muted); }
  .small { font-size: 0.875rem; }
  .row { display: flex; gap: 0.75rem; flex-wrap: wrap; align-items: center; }
  .spacer { flex: 1; }
  .stack > * + * { margin-top: 0.75rem; }
  .card {
    background: var(--mj-card);
    border: 1px solid var(--mj-line);
    border-radius: var(--mj-radius);
    padding: 1rem;
  }
  .card + .card { margin-top: 1rem; }
  button, .button {
    font: inherit;
    min-height: 44px;
    padding: 0.5rem 1rem;
    border-radius: 8px;
    border: 1px solid var(--mj-line);
    background: #fff;
    color: var(--mj-ink);
    cursor: pointer;
    text-decoration: none;
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.4rem;
  }
  button.primary, .button.primary { background: var(--mj-red); border-color: var(--mj-red); color: #fff; font-weight: 600; }
  button.primary:hover { background: var(--mj-red-dark); }
  button.danger { color: var(--mj-danger); border-color: var(--mj-danger); }
  /* Looks like a link, but stays a thumb-sized target. */
  button.link { border: none; background: none; color: var(--mj-focus); padding: 0 0.25rem; min-height: 44px; min-width: 44px; }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  .field { margin-bottom: 1rem; }
  .field .hint { font-weight: normal; color: var(--mj-muted); font-size: 0.875rem; }
  .field .error { color: var(--mj-danger); font-size: 0.875rem; margin-top: 0.25rem; }
  input, select, textarea {
    font: inherit;
    width: 100%;
    min-height: 44px;
    padding: 0.5rem 0.75rem;
    border: 1px solid var(--mj-line);
    border-radius: 8px;
    background: #fff;
    color: var(--mj-ink);
  }
  input[type='checkbox'], input[type='radio'] { width: 1.25rem; height: 1.25rem; min-height: 0; vertical-align: middle; }
  .check { display: flex; gap: 0.5rem; align-items: center; font-weight: normal; }
  textarea { min-height: 6rem; resize: vertical; }
  [aria-invalid='true'] { border-color: var(--mj-danger); }
  .alert { padding: 0.75rem 1rem; border-radius: 8px; margin: 0.75rem 0; border: 1px solid; }
  .alert.error { background: #ffebe9; border-color: #ff8182; color: #82071e; }
  .alert.ok { background: #dafbe1; border-color: #4ac26b; color: #116329; }
  .alert.warn { background: #fff8c5; border-color: #d4a72c; color: #7d4e00; }
  .table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
  table { border-collapse: collapse; width: 100%; background: #fff; }
  th, td { text-align: left; padding: 0.5rem 0.6rem; border-bottom: 1px solid var(--mj-line); vertical-align: top; }
  th { font-size: 0.875rem; color: var(--mj-muted); font-weight: 600; }
  .badge { display: inline-block; padding: 0.1rem 0.5rem; border-radius: 999px; font-size: 0.8rem; background: #eaeef2; color: var(--mj-ink); white-space: nowrap; }
  .badge.ok { background: #dafbe1; color: #116329; }
  .badge.warn { background: #fff8c5; color: #7d4e00; }
  .badge.danger { background: #ffebe9; color: #82071e; }
  .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
  @media (max-width: 600px) {
    .hide-phone { display: none; }
    h1 { font-size: 1.3rem; }
  }
  @media print {
    .no-print { display: none !important; }
  }
`;
