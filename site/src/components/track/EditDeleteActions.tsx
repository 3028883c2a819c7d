/** The Edit and Delete buttons of a project or task row, named for the thing they act on. */
interface Props {
  /** What the row is: "project" or "task" (the buttons' test ids and names start with it). */
  kind: 'project' | 'task';
  name: string;
  class: string;
  onEdit: () => void;
  onDelete: () => void;
}

export function EditDeleteActions({ kind, name, class: cls, onEdit, onDelete }: Props) {
  return (
    <span class={cls}>
      <button
        type="button"
        class="kt-btn kt-btn--small kt-btn--ghost"
        onClick={onEdit}
        data-testid={`${kind}-edit`}
        aria-label={`Edit ${kind} ${name}`}
      >
        Edit
      </button>
      <button
        type="button"
        class="kt-btn kt-btn--small kt-btn--ghost"
        onClick={onDelete}
        data-testid={`${kind}-delete`}
        aria-label={`Delete ${kind} ${name}`}
      >
        Delete
      </button>
    </span>
  );
}
