/** A readable, full-page explanation instead of a blank screen. */
import type { ComponentChildren } from 'preact';
import { Icon } from './Icon.tsx';

export interface ErrorStateProps {
  kind: string;
  title: string;
  children?: ComponentChildren;
}

export function ErrorState({ kind, title, children }: ErrorStateProps) {
  return (
    <div class="kt-error" data-testid="error-state" data-kind={kind} role="alert">
      <div class="kt-error__mark">
        <Icon name="clock" size="3.5rem" />
      </div>
      <h1 class="kt-error__title">{title}</h1>
      <div class="kt-error__body">{children}</div>
    </div>
  );
}
