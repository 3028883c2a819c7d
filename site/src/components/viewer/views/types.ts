/** What the viewer shell hands the chosen view. */
import type { ComponentChildren, JSX } from 'preact';
import type { emptyView } from '../../../lib/rooms/store.ts';

/** The room as the store holds it (room, timers, message, and `played` once the store carries it). */
export type StoreView = ReturnType<typeof emptyView>;

export interface ViewProps {
  view: StoreView;
  /** The shell's corner: connection badge and full-screen button. */
  corner: ComponentChildren;
}

export type ViewComponent = (props: ViewProps) => JSX.Element;
