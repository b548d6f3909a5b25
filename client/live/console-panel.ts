import { css, LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { LiveState } from '../../shared/schemas/live.ts';
import { api } from '../core/api.ts';
import { LocaleController } from '../core/i18n.ts';
import type { ConfirmOptions } from '../core/mj-confirm-dialog.ts';
import { baseStyles } from '../core/styles.ts';

/** Styles shared by the host console's panels. */
export const consoleStyles = css`
  h2 { margin-top: 0; }
  .panel-head { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: center; margin-bottom: 0.75rem; }
  .panel-head h2 { margin: 0; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0.75rem 0; }
  .count { font-size: 2rem; font-weight: 700; font-variant-numeric: tabular-nums; }
  .bar { height: 0.75rem; border-radius: 0.4rem; background: #e6e9ee; overflow: hidden; margin: 0.25rem 0 0.75rem; }
  .bar span { display: block; height: 100%; background: var(--mj-red); }
  ul.names { display: flex; flex-wrap: wrap; gap: 0.35rem; list-style: none; padding: 0; margin: 0.25rem 0; }
  ul.names li { background: #eaeef2; border-radius: 999px; padding: 0.1rem 0.65rem; font-size: 0.9rem; }
  .pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
`;

/**
 * Base of the host console's panels: the meeting, the live state the socket keeps current, and a
 * way to run a host command (HTTP) showing its translated error. Panels never refresh state
 * themselves — every change comes back over the socket as an event.
 */
export class ConsolePanel extends LitElement {
  static override styles = [baseStyles, consoleStyles];
  @property() meetingId = '';
  @property({ attribute: false }) live!: LiveState;
  /** Asks the host to confirm an irreversible step (the page's dialog). */
  @property({ attribute: false }) ask: (options: ConfirmOptions) => Promise<boolean> = async () => true;
  @state() protected error: unknown;
  @state() protected busy = false;

  protected readonly localeController = new LocaleController(this);

  protected url(path = '') {
    return `/api/meetings/${this.meetingId}/live${path}`;
  }

  /** Runs a command; its failure is shown in the panel, and `undefined` returned. */
  protected async run<T>(action: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = undefined;
    try {
      return await action();
    } catch (err) {
      this.error = err;
      return undefined;
    } finally {
      this.busy = false;
    }
  }

  protected post<T = unknown>(path: string, body: unknown = {}) {
    return this.run(() => api.post<T>(this.url(path), body));
  }

  /** Member and observer names by id (the host's attendance view carries both). */
  protected nameOf(id: string): string {
    const attendance = this.live.attendance;
    return (
      attendance?.attendees?.find((a) => a.memberId === id)?.name ??
      attendance?.observers?.find((o) => o.observerId === id)?.name ??
      ''
    );
  }
}
