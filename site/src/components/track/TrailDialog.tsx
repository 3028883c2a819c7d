/** An entry's audit trail: who changed what, when, oldest first. */
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../../lib/net/api.ts';
import { type Entry, type TrailItem, entryChanges, fetchTrail } from '../../lib/sessions/entries.ts';
import { when } from '../../lib/clock/when.ts';
import { Dialog } from './Dialog.tsx';
import type { ProjectsState } from './use-projects.ts';

const OPS = { create: 'Created', update: 'Edited', delete: 'Deleted', restore: 'Restored' } as const;

export function TrailDialog({ entry, onClose }: { entry: Entry; projects: ProjectsState; onClose: () => void }) {
  const [trail, setTrail] = useState<TrailItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetchTrail(entry.id).then(setTrail, (e: unknown) => setError(errorText(e)));
  }, [entry.id]);
  return (
    <Dialog title={`Changes to “${entry.label ?? 'Untitled'}”`} onClose={onClose} testId="trail-dialog">
      {error ? (
        <p class="kt-alert" role="alert">
          Could not load the trail: {error}
        </p>
      ) : trail === null ? (
        <p class="kt-muted">Loading…</p>
      ) : trail.length === 0 ? (
        <p class="kt-muted" data-testid="trail-empty">
          Never edited: this is the entry as it was recorded.
        </p>
      ) : (
        <ol class="trk-trail">
          {trail.map((t) => {
            const changes = entryChanges(t.before, t.after, (ms) => when(ms));
            return (
              <li key={t.id} data-testid="trail-item" data-op={t.op}>
                <strong>{OPS[t.op]}</strong> {when(t.at)}
                {t.actor ? (
                  <span class="kt-muted">
                    {' '}
                    · by {t.actor.role === 'admin' ? 'an admin' : t.actor.role === 'system' ? 'Keeptime' : 'you'}
                  </span>
                ) : null}
                <span class="kt-muted"> · version {t.version}</span>
                {changes.length > 0 ? (
                  <ul class="trk-trail__changes">
                    {changes.map((c) => (
                      <li key={c}>{c}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ol>
      )}
    </Dialog>
  );
}
