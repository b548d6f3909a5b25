import { html } from 'lit';

/**
 * A table that may scroll sideways on a narrow screen. The wrapper is a named, focusable region so
 * that keyboard users can scroll it too (axe: scrollable-region-focusable) and screen readers
 * announce what it holds.
 */
export function tableWrap(label: string, table: unknown) {
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label=${label}>${table}</div>`;
}
