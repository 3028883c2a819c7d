/**
 * What a live session is for (project, task), checked before a start or an
 * update: the ids must name the user's own project and task, and the task
 * must belong to the project. The lookup is the object's project store.
 */
import { type Refusal, refuse } from '../../core/errors.ts';

/** What the check reads; the object's project store has this shape. */
export interface MetaLookup {
  project(id: string): { id: string } | null;
  task(id: string): { id: string; projectId: string } | null;
}

/** A refusal when `meta` names a project or task the user does not have; null when it is fine. */
export function metaRefusal(
  lookup: MetaLookup | null,
  meta: { projectId?: string | null; taskId?: string | null },
): Refusal | null {
  if (!lookup) return null;
  if (meta.projectId && !lookup.project(meta.projectId))
    return refuse('project_not_found', `No project ${meta.projectId}`);
  if (meta.taskId) {
    const task = lookup.task(meta.taskId);
    if (!task) return refuse('task_not_found', `No task ${meta.taskId}`);
    if (meta.projectId && task.projectId !== meta.projectId)
      return refuse('validation_failed', 'taskId: the task belongs to another project');
  }
  return null;
}
