/** The one toast on screen (see useToast). */
import type { Toast as ToastValue } from './useToast.ts';

export function Toast({ toast }: { toast: ToastValue | null }) {
  if (!toast) return null;
  return (
    <div key={toast.at} class={`kt-toast kt-toast--${toast.tone}`} role="status" data-testid="toast">
      {toast.text}
    </div>
  );
}
