import { html, type LitElement, nothing, type TemplateResult } from 'lit';
import { ApiError } from './api.ts';
import { t } from './i18n.ts';

/** The trimmed string values of a form's named controls (checkboxes give 'on' or are absent). */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of new FormData(form)) if (typeof value === 'string') values[key] = value.trim();
  return values;
}

/** The translated message for a field the server flagged, if any. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldText(field) : undefined;
}

/** A labelled control with hint and error, wired for screen readers. */
export function field(
  id: string,
  label: string,
  control: TemplateResult,
  options: { error?: unknown; hint?: string; name?: string } = {},
): TemplateResult {
  const message = fieldError(options.error, options.name ?? id);
  return html`<div class="field">
    <label for=${id}>${label}${options.hint ? html` <span class="hint">${options.hint}</span>` : nothing}</label>
    ${control}
    ${message ? html`<div class="error" id="${id}-error" role="alert">${message}</div>` : nothing}
  </div>`;
}

/** A banner for a failed action: the error's translated message (or a generic one). */
export function errorBanner(error: unknown): TemplateResult | typeof nothing {
  if (!error) return nothing;
  const text = error instanceof ApiError ? error.text : t('error.internal');
  return html`<div class="alert error" role="alert">${text}</div>`;
}

export function isInvalid(error: unknown, field: string): 'true' | 'false' {
  return fieldError(error, field) ? 'true' : 'false';
}

/** After a refused save, brings the first field the server flagged into view (long forms on a phone). */
export async function revealFirstInvalid(host: LitElement) {
  await host.updateComplete;
  host.renderRoot.querySelector('[aria-invalid="true"]')?.scrollIntoView({ block: 'center' });
}
