import { t } from '../core/i18n.ts';
import type { ConfirmOptions, MjConfirmDialog } from '../core/mj-confirm-dialog.ts';

/**
 * Before a change to locked minutes (or their attendance or attachments): asks why, since the
 * server keeps the reason with the amendment. '' when the minutes are not locked, null if cancelled.
 */
export function askAmendmentReason(
  dialog: MjConfirmDialog,
  locked: boolean,
  options: Omit<ConfirmOptions, 'message' | 'reasonLabel'>,
): Promise<string | null> {
  if (!locked) return Promise.resolve('');
  return dialog.ask({
    ...options,
    message: t('minutes.lockedExplain'),
    reasonLabel: t('minutes.amendReason'),
  });
}
