/** Step one of the audit: a floor, then an available rack, then the claim. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorText } from '../../lib/net/api.ts';
import {
  type AvailableRack,
  type Claim,
  type Floor,
  claimRack,
  listAvailable,
  listFloors,
} from '../../lib/racks/api.ts';

export function RackPicker({ onClaimed }: { onClaimed: (c: Claim) => void }) {
  const [floors, setFloors] = useState<Floor[] | null>(null);
  const [floor, setFloor] = useState<string | null>(null);
  const [racks, setRacks] = useState<AvailableRack[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    listFloors().then(setFloors, (e) => setError(errorText(e)));
  }, []);

  const load = (f: string) => {
    listAvailable(f).then(setRacks, (e) => setError(errorText(e)));
  };
  useEffect(() => {
    if (!floor) return;
    setRacks(null);
    setError(null);
    load(floor);
  }, [floor]);

  const claim = async (rackId: string) => {
    if (!floor) return;
    setBusy(rackId);
    setError(null);
    try {
      onClaimed(await claimRack(rackId, floor));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'rack_claimed') {
        const d = e.details;
        const holder =
          typeof d?.holder_name === 'string'
            ? d.holder_name
            : typeof d?.holder === 'string'
              ? d.holder
              : 'someone else';
        setError(`Rack ${rackId} is taken by ${holder}`);
        load(floor);
      } else setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="kt-racks-pick" data-testid="rack-picker">
      <h1>Audit a rack</h1>
      {error ? (
        <p class="kt-alert kt-alert--warn" role="alert" data-testid="rack-error">
          {error}
        </p>
      ) : null}
      <h2>Floor</h2>
      <div class="kt-racks-choices">
        {floors === null ? <p class="kt-loading">Loading floors…</p> : null}
        {floors?.map((f) => (
          <button
            type="button"
            key={f.id}
            class={`kt-racks-choice${floor === f.id ? ' is-on' : ''}`}
            data-testid={`floor-${f.id}`}
            aria-pressed={floor === f.id}
            onClick={() => setFloor(f.id)}
          >
            <strong>{f.name}</strong>
            <span class="kt-muted">{f.rack_count} racks</span>
          </button>
        ))}
      </div>
      {floor ? (
        <>
          <h2>Rack</h2>
          <div class="kt-racks-choices">
            {racks === null ? <p class="kt-loading">Loading racks…</p> : null}
            {racks?.length === 0 ? <p class="kt-muted">No rack is free on this floor.</p> : null}
            {racks?.map((r) => (
              <button
                type="button"
                key={r.rack_id}
                class="kt-racks-choice"
                data-testid={`rack-${r.rack_id}`}
                disabled={busy !== null}
                onClick={() => void claim(r.rack_id)}
              >
                <strong>{r.rack_id}</strong>
                <span class="kt-muted">
                  {busy === r.rack_id
                    ? 'Claiming…'
                    : r.status === 'recount'
                      ? 'recount'
                      : r.item_estimate === null
                        ? 'blind count'
                        : `~${r.item_estimate} items`}
                </span>
              </button>
            ))}
          </div>
        </>
      ) : null}
    </section>
  );
}
