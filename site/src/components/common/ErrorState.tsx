/** A readable, full-page explanation instead of a blank screen. */
import type { ComponentChildren } from 'preact';
import { Icon } from './Icon.tsx';

interface ErrorStateProps {
  kind: string;
  title: string;
  children?: ComponentChildren;
  /** Under the site header, not a whole screen of its own. */
  inPage?: boolean;
}

export function ErrorState({ kind, title, children, inPage = false }: ErrorStateProps) {
  return (
    <div
      class={inPage ? 'kt-error kt-error--inpage' : 'kt-error'}
      data-testid="error-state"
      data-kind={kind}
      role="alert"
    >
      <div class="kt-error__mark">
        <Icon name="clock" size="3.5rem" />
      </div>
      <h1 class="kt-error__title">{title}</h1>
      <div class="kt-error__body">{children}</div>
    </div>
  );
}
