/** History filters: project, tag, and a date range (local dates, inclusive). */
import { useState } from 'preact/hooks';
import type { EntryFilter } from '../../lib/sessions/entries.ts';
import type { Project } from '../../lib/sessions/projects.ts';

export function HistoryFilters({
  filter,
  onFilter,
  projects,
}: {
  filter: EntryFilter;
  onFilter: (f: EntryFilter) => void;
  projects: Project[];
}) {
  const [tag, setTag] = useState(filter.tag ?? '');
  const badRange = filter.from && filter.to && filter.from > filter.to;
  return (
    <form
      class="trk-filters"
      role="search"
      aria-label="Filter history"
      onSubmit={(e) => {
        e.preventDefault();
        onFilter({ ...filter, tag: tag.trim() || null });
      }}
      data-testid="history-filters"
    >
      <label class="kt-field">
        <span>Project</span>
        <select
          class="kt-input"
          value={filter.projectId ?? ''}
          onChange={(e) => onFilter({ ...filter, projectId: (e.target as HTMLSelectElement).value || null })}
          data-testid="filter-project"
        >
          <option value="">All projects</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label class="kt-field">
        <span>Tag</span>
        <input
          class="kt-input"
          value={tag}
          maxLength={40}
          onInput={(e) => setTag((e.target as HTMLInputElement).value)}
          onBlur={() =>
            (tag.trim() || null) !== (filter.tag ?? null) && onFilter({ ...filter, tag: tag.trim() || null })
          }
          data-testid="filter-tag"
        />
      </label>
      <label class="kt-field">
        <span>From</span>
        <input
          class="kt-input"
          type="date"
          value={filter.from ?? ''}
          onChange={(e) => onFilter({ ...filter, from: (e.target as HTMLInputElement).value || null })}
          data-testid="filter-from"
        />
      </label>
      <label class="kt-field">
        <span>To</span>
        <input
          class="kt-input"
          type="date"
          value={filter.to ?? ''}
          onChange={(e) => onFilter({ ...filter, to: (e.target as HTMLInputElement).value || null })}
          data-testid="filter-to"
        />
      </label>
      <button type="submit" class="kt-btn kt-btn--small">
        Apply
      </button>
      {Object.values(filter).some((v) => v) ? (
        <button
          type="button"
          class="kt-btn kt-btn--small kt-btn--ghost"
          onClick={() => {
            setTag('');
            onFilter({});
          }}
          data-testid="filter-clear"
        >
          Clear
        </button>
      ) : null}
      {badRange ? (
        <p class="kt-alert" role="alert">
          “From” is after “To”: nothing can match.
        </p>
      ) : null}
    </form>
  );
}
