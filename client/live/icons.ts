import { type SVGTemplateResult, svg } from 'lit';

/**
 * The few pictograms the live screens use, as inline SVG: emoji fonts are missing on many cheap
 * phones and projector PCs, and an empty box where a lock should be is worse than no icon.
 * Decorative only — each sits next to words that say the same.
 */
function icon(body: SVGTemplateResult): SVGTemplateResult {
  return svg`<svg class="icon" viewBox="0 0 24 24" width="1.1em" height="1.1em" aria-hidden="true" focusable="false"
    fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${body}</svg>`;
}

export const lockIcon = icon(
  svg`<rect x="5" y="11" width="14" height="10" rx="2"></rect><path d="M8 11V7a4 4 0 0 1 8 0v4"></path>`,
);
export const personIcon = icon(
  svg`<circle cx="12" cy="8" r="4"></circle><path d="M4 21a8 8 0 0 1 16 0"></path>`,
);
export const clockIcon = icon(
  svg`<circle cx="12" cy="13" r="8"></circle><path d="M12 9v4l2.5 2.5M9 2h6"></path>`,
);
export const hourglassIcon = icon(
  svg`<path d="M6 2h12M6 22h12M7 2c0 5 10 7 10 10s-10 5-10 10M17 2c0 5-10 7-10 10s10 5 10 10"></path>`,
);
export const doneIcon = icon(
  svg`<circle cx="12" cy="12" r="10"></circle><path d="M7 12.5l3.2 3.2L17 9"></path>`,
);
