import { html, nothing, type TemplateResult } from 'lit';
import { t } from '../core/i18n.ts';
import { lockIcon, personIcon } from './icons.ts';
import { styleHintChars } from './live-view.ts';

/**
 * Small templates the live screens share. First, the two sentences every anonymous screen owes its
 * reader: that nobody can see what they chose or wrote, and — once free text grows long — that
 * writing style can still give an author away.
 */
export function anonymityNote(kind: 'ballot' | 'criticism', anonymous: boolean): TemplateResult {
  if (!anonymous) return html`<p class="note named">${personIcon}${t('liveUi.namedCriticism')}</p>`;
  return html`<p class="note">${lockIcon}${t(kind === 'ballot' ? 'liveUi.anonymousBallot' : 'liveUi.anonymousCriticism')}</p>`;
}

export function styleHint(text: string, anonymous = true): TemplateResult | typeof nothing {
  return anonymous && text.trim().length > styleHintChars
    ? html`<p class="hint" role="note">${t('liveUi.styleHint')}</p>`
    : nothing;
}

/** One choice drawn as a large button (see `.opt` in live-styles.ts). */
export function choice(options: {
  type: 'radio' | 'checkbox';
  name: string;
  value: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  ariaLabel?: string;
}): TemplateResult {
  return html`<label class="opt"><input
      type=${options.type}
      name=${options.name}
      .value=${options.value}
      .checked=${options.checked}
      aria-label=${options.ariaLabel ?? nothing}
      @change=${(e: Event) => options.onChange((e.target as HTMLInputElement).checked)}
    /><span>${options.label}</span></label>`;
}

/** Tells the page a task was handed to the connection, so it can show the confirmation. */
export function announceSubmitted(from: HTMLElement, roundId: string) {
  from.dispatchEvent(new CustomEvent('mj-submitted', { detail: { roundId }, bubbles: true, composed: true }));
}
