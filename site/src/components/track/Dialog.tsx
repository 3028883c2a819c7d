/**
 * A modal dialog on the native <dialog> with showModal(): focus moves in, the
 * page behind is inert, Escape or a click on the backdrop closes it, and focus
 * returns to the opener. The parent renders it to open and drops it on close.
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

interface DialogProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  testId?: string;
  /** Wide dialogs (the entry editor). */
  wide?: boolean;
  /** An alert dialog (the idle prompt): Escape does not dismiss it, an answer must be chosen. */
  alert?: boolean;
}

let seq = 0;

export function Dialog({ title, onClose, children, testId, wide, alert }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;
  const id = useRef(`trk-dlg-${++seq}`);

  useLayoutEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const cancel = (e: Event) => {
      e.preventDefault();
      if (!alert) close.current();
    };
    const backdrop = (e: MouseEvent) => e.target === d && !alert && close.current();
    d.addEventListener('cancel', cancel);
    d.addEventListener('click', backdrop);
    if (!d.open) d.showModal();
    return () => {
      d.removeEventListener('cancel', cancel);
      d.removeEventListener('click', backdrop);
      if (d.open) d.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class={`trk-dialog${wide ? ' trk-dialog--wide' : ''}`}
      aria-labelledby={id.current}
      role={alert ? 'alertdialog' : undefined}
      data-testid={testId}
    >
      <div class="trk-dialog__box">
        <div class="trk-dialog__head">
          <h2 id={id.current}>{title}</h2>
          {alert ? null : (
            <button
              type="button"
              class="kt-btn kt-btn--ghost kt-btn--small"
              onClick={() => close.current()}
              aria-label="Close"
            >
              ✕
            </button>
          )}
        </div>
        {children}
      </div>
    </dialog>
  );
}
