/** A button that asks for a second click before doing something destructive. */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

interface ConfirmButtonProps {
  onConfirm: () => void;
  children: ComponentChildren;
  confirmText: string;
  testid: string;
  class?: string;
  disabled?: boolean;
}

export function ConfirmButton({
  onConfirm,
  children,
  confirmText,
  testid,
  class: cls = '',
  disabled,
}: ConfirmButtonProps) {
  const [armed, setArmed] = useState(false);
  useEffect(() => {
    if (!armed) return;
    const t = setTimeout(() => setArmed(false), 4000);
    return () => clearTimeout(t);
  }, [armed]);
  return (
    <button
      type="button"
      class={`kt-btn kt-btn--danger ${cls}`}
      data-testid={testid}
      data-confirm={armed ? 'true' : 'false'}
      disabled={disabled}
      onClick={() => {
        if (armed) {
          setArmed(false);
          onConfirm();
        } else setArmed(true);
      }}
    >
      {armed ? confirmText : children}
    </button>
  );
}
