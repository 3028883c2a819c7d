/**
 * The viewer's second entry (beside components/viewer/main.tsx): the stage theme option (`?theme=light|system`;
 * black otherwise) and the service worker, without the update notice (a stage screen shows the timer only).
 */
import { applyStageTheme } from '../theme/theme.ts';
import { registerServiceWorker } from './register.ts';

applyStageTheme();
registerServiceWorker({ notice: false });
