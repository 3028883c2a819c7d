/** Entry for /r/<token>: mounts the viewer without the island runtime, to keep this page's JS small. */
import { render } from 'preact';
import { ViewerApp } from './ViewerApp.tsx';

const root = document.getElementById('viewer');
if (root) {
  root.textContent = '';
  render(<ViewerApp />, root);
}
