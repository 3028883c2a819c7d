/**
 * A modal dialog on the native <dialog> and showModal(): focus moves in (to the `autofocus` element or the first
 * focusable one), the page behind is inert so Tab stays inside, Escape and a click outside the box close it, and
 * focus returns to where it was when the dialog goes. The parent owns open/closed: it renders <Modal> to open and
 * drops it on `onClose`. Its styles are common/modal.css: import that in the page (control.astro does).
 */
import type { ComponentChildren, JSX } from 'preact';
import { useLayoutEffect, useRef } from 'preact/hooks';

interface ModalProps {
  labelledBy: string;
  onClose: () => void;
  children: ComponentChildren;
  testId?: string;
  onKeyDown?: (e: JSX.TargetedKeyboardEvent<HTMLDialogElement>) => void;
}

export function Modal({ labelledBy, onClose, children, testId, onKeyDown }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const close = useRef(onClose);
  close.current = onClose;

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    let live = true;
    const done = () => live && close.current();
    // Escape: keep the dialog open until the parent drops it (it may refuse, e.g. while saving).
    const cancel = (e: Event) => {
      e.preventDefault();
      done();
    };
    // Closed some other way (the browser may close without a cancelable cancel): tell the parent too.
    const closed = () => done();
    const backdrop = (e: MouseEvent) => e.target === dialog && done();
    dialog.addEventListener('cancel', cancel);
    dialog.addEventListener('close', closed);
    dialog.addEventListener('click', backdrop);
    if (!dialog.open) dialog.showModal();
    return () => {
      live = false;
      dialog.removeEventListener('cancel', cancel);
      dialog.removeEventListener('close', closed);
      dialog.removeEventListener('click', backdrop);
      if (dialog.open) dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog ref={ref} class="kt-dialog" aria-labelledby={labelledBy} data-testid={testId} onKeyDown={onKeyDown}>
      {children}
    </dialog>
  );
}
