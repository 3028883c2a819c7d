/**
 * Entry for /r/<token>: mounts the viewer without the island runtime, to keep this page's JS small. The view named
 * by `?view=` is imported on its own, so each view's page loads only its own code plus the shared shell.
 */
import { render } from 'preact';
import { pickView, type ViewName } from './view-names.ts';
import { ViewerApp } from './ViewerApp.tsx';
import type { ViewComponent } from './views/types.ts';

const views: Record<ViewName, () => Promise<{ default: ViewComponent }>> = {
  countdown: () => import('./views/countdown.tsx'),
  presenter: () => import('./views/presenter.tsx'),
  agenda: () => import('./views/agenda.tsx'),
  clock: () => import('./views/clock.tsx'),
};

const root = document.getElementById('viewer');
if (root) {
  const choice = pickView(location.search);
  // Started before the first render, so the chunk downloads while the room connects.
  const loading = views[choice.name]().then((m) => m.default);
  root.textContent = '';
  render(<ViewerApp choice={choice} load={() => loading} />, root);
}
