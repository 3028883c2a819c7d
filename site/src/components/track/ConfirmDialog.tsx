/**
 * "Are you sure?" for a destructive step (deleting a project or a task): the
 * consequences in words, a Cancel that is focused first, and the server's
 * refusal shown in the dialog, which then stays open.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { Dialog } from './Dialog.tsx';

interface Props {
  title: string;
  children: ComponentChildren;
  confirmText: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}

export function ConfirmDialog({ title, children, confirmText, onConfirm, onClose }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
      onClose();
    } catch (err) {
      setError(errorText(err));
      setBusy(false);
    }
  };
  return (
    <Dialog title={title} onClose={onClose} testId="confirm-dialog">
      <div class="trk-confirm__text">{children}</div>
      {error ? (
        <p class="kt-alert" role="alert" data-testid="confirm-error">
          {error}
        </p>
      ) : null}
      <div class="trk-confirm__buttons">
        {/* biome-ignore lint/a11y/noAutofocus: the safe answer gets focus in a confirmation */}
        <button type="button" class="kt-btn" onClick={onClose} autofocus data-testid="confirm-cancel">
          Cancel
        </button>
        <button type="button" class="kt-btn kt-btn--danger" disabled={busy} onClick={confirm} data-testid="confirm-yes">
          {confirmText}
        </button>
      </div>
    </Dialog>
  );
}
