import { css, html, LitElement } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { AttendanceCounts, Quorum } from '../../shared/domain/quorum.ts';
import { LocaleController, t } from '../core/i18n.ts';
import { baseStyles } from '../core/styles.ts';
import { quorumText } from './meeting-format.ts';

/**
 * 应到 / 实到 / 请假 / 缺席 and whether the quorum is met, in large figures. It announces changes
 * politely, so a recorder using a screen reader hears the count move as they mark people.
 */
@customElement('mj-quorum-indicator')
export class MjQuorumIndicator extends LitElement {
  static override styles = [
    baseStyles,
    css`
      :host { display: block; }
      .box { border-radius: var(--mj-radius); border: 2px solid var(--mj-line); background: #fff; padding: 0.6rem 0.9rem; }
      .box.met { border-color: var(--mj-ok); }
      .box.notMet { border-color: var(--mj-danger); }
      dl { display: grid; grid-template-columns: repeat(auto-fit, minmax(4.5rem, 1fr)); gap: 0.25rem 0.75rem; margin: 0; }
      dt { font-size: 0.8rem; color: var(--mj-muted); }
      dd { margin: 0; font-size: 1.5rem; font-weight: 700; line-height: 1.2; }
      p { margin: 0.4rem 0 0; font-weight: 600; }
      .met p { color: var(--mj-ok); }
      .notMet p { color: var(--mj-danger); }
    `,
  ];
  protected readonly localeController = new LocaleController(this);
  @property({ attribute: false }) counts?: AttendanceCounts;
  @property({ attribute: false }) quorum?: Quorum;

  override render() {
    const { counts, quorum } = this;
    if (!counts || !quorum) return html``;
    const state = quorum.met === null ? '' : quorum.met ? 'met' : 'notMet';
    const figures: Array<[string, number]> = [
      ['attendance.expected', counts.expected],
      ['attendance.present', counts.present],
      ['attendanceStatus.excused', counts.excused],
      ['attendanceStatus.absent', counts.absent],
      ['attendanceStatus.exempt', counts.exempt],
      ['attendance.unmarked', counts.unmarked],
    ];
    return html`<div class="box ${state}" role="status" aria-live="polite">
      <dl>${figures.map(([key, n]) => html`<div><dt>${t(key)}</dt><dd>${n}</dd></div>`)}</dl>
      <p>${quorumText(quorum)}</p>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'mj-quorum-indicator': MjQuorumIndicator;
  }
}
