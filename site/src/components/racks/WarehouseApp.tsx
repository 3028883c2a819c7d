/**
 * /warehouse: admins manage floors, racks and what each rack should hold.
 * Phone first: one floor at a time, one rack open at a time.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorText } from '../../lib/net/api.ts';
import {
  type Layout,
  addRack,
  createFloor,
  getLayout,
  renameFloor,
  setFloorBlind,
  setReviewThresholds,
  slugOf,
} from '../../lib/racks/warehouse.ts';
import { ErrorState } from '../common/ErrorState.tsx';
import { Toast } from '../common/Toast.tsx';
import { useToast } from '../common/useToast.ts';
import { ReviewThresholds } from './ReviewThresholds.tsx';
import { WarehouseRack } from './WarehouseRack.tsx';
import { StockImport } from './StockImport.tsx';

export default function WarehouseApp() {
  const [layout, setLayout] = useState<Layout | null>(null);
  const [error, setError] = useState<{ status: number; message: string } | null>(null);
  const [floorId, setFloorId] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [toast, showToast] = useToast();
  const [floorName, setFloorName] = useState('');
  const [rackId, setRackId] = useState('');
  const [rename, setRename] = useState<string | null>(null);

  useEffect(() => {
    getLayout().then(
      (l) => {
        setLayout(l);
        setFloorId(l.floors[0]?.id ?? null);
      },
      (e) => setError({ status: e instanceof ApiError ? e.status : 0, message: errorText(e) }),
    );
  }, []);

  /** Runs a change; the answer is the new layout. */
  const run = async (what: () => Promise<Layout>, done: string): Promise<boolean> => {
    setBusy(true);
    try {
      setLayout(await what());
      showToast(done, 'info');
      return true;
    } catch (e) {
      showToast(errorText(e), 'error');
      return false;
    } finally {
      setBusy(false);
    }
  };

  if (error)
    return error.status === 401 ? (
      <ErrorState kind="unauthenticated" title="Log in to manage the warehouse" inPage>
        <p>
          <a href={`/login/?next=${encodeURIComponent('/warehouse/')}`}>Log in</a> as an admin.
        </p>
      </ErrorState>
    ) : (
      <ErrorState kind="error" title="The warehouse layout is unavailable" inPage>
        <p>{error.status === 403 ? 'Only admins manage floors and racks.' : error.message}</p>
      </ErrorState>
    );
  if (!layout) return <p class="kt-loading">Loading…</p>;
  const floor = layout.floors.find((f) => f.id === floorId) ?? null;

  const addFloor = async (e: Event) => {
    e.preventDefault();
    const name = floorName.trim();
    const id = slugOf(name);
    if (!id) return showToast('Give the floor a name', 'error');
    if (await run(() => createFloor(id, name), `Floor ${name} added`)) {
      setFloorName('');
      setFloorId(id);
    }
  };
  const addOne = async (e: Event) => {
    e.preventDefault();
    const id = rackId.trim().toUpperCase();
    if (!floor || !id) return;
    if (await run(() => addRack(floor.id, id, []), `Rack ${id} added`)) {
      setRackId('');
      setOpen(id);
    }
  };
  const saveName = async (e: Event) => {
    e.preventDefault();
    if (!floor || rename === null || !rename.trim()) return;
    if (await run(() => renameFloor(floor.id, rename.trim()), 'Floor renamed')) setRename(null);
  };

  return (
    <div class="kt-page kt-racks kt-warehouse" data-testid="warehouse" data-version={layout.version}>
      <h1>Warehouse</h1>
      <div class="kt-racks-choices" role="group" aria-label="Floors">
        {layout.floors.map((f) => (
          <button
            type="button"
            key={f.id}
            class={`kt-racks-choice${f.id === floorId ? ' is-on' : ''}`}
            aria-pressed={f.id === floorId}
            data-testid={`wh-floor-${f.id}`}
            onClick={() => setFloorId(f.id)}
          >
            <strong>{f.name}</strong>
            <span class="kt-muted">{f.racks.length === 1 ? '1 rack' : `${f.racks.length} racks`}</span>
          </button>
        ))}
      </div>
      <form class="kt-warehouse__form" onSubmit={addFloor}>
        <input
          class="kt-input"
          data-testid="wh-new-floor"
          placeholder="New floor name"
          value={floorName}
          maxLength={80}
          onInput={(e) => setFloorName(e.currentTarget.value)}
        />
        <button
          type="submit"
          class="kt-btn kt-btn--big"
          data-testid="wh-add-floor"
          disabled={busy || !floorName.trim()}
        >
          Add floor
        </button>
      </form>

      {floor ? (
        <section class="kt-warehouse__floor" data-testid="wh-floor" data-floor={floor.id}>
          {rename === null ? (
            <div class="kt-warehouse__title" key="title">
              <h2 data-testid="wh-floor-name">{floor.name}</h2>
              <span class="kt-muted">{floor.id}</span>
              <button type="button" class="kt-btn" data-testid="wh-rename" onClick={() => setRename(floor.name)}>
                Rename
              </button>
              <a class="kt-btn" href={`/board/?floor=${encodeURIComponent(floor.id)}`}>
                Board
              </a>
              <a class="kt-btn" href={`/reviews/?floor=${encodeURIComponent(floor.id)}`}>
                Reviews
              </a>
              <label class="kt-warehouse__blind">
                <input
                  type="checkbox"
                  data-testid="wh-floor-blind"
                  checked={floor.blind === true}
                  disabled={busy}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    void run(() => setFloorBlind(floor.id, on), on ? 'Blind counting on' : 'Blind counting off');
                  }}
                />{' '}
                Blind count
              </label>
            </div>
          ) : (
            <form class="kt-warehouse__form" key="rename" onSubmit={saveName}>
              <input
                class="kt-input"
                data-testid="wh-rename-input"
                value={rename}
                maxLength={80}
                onInput={(e) => setRename(e.currentTarget.value)}
              />
              <button type="submit" class="kt-btn kt-btn--primary" data-testid="wh-rename-save" disabled={busy}>
                Save
              </button>
              <button type="button" class="kt-btn kt-btn--ghost" onClick={() => setRename(null)}>
                Cancel
              </button>
            </form>
          )}
          <ReviewThresholds
            key={`review-${floor.id}`}
            floor={floor}
            busy={busy}
            save={(body) =>
              run(async () => {
                await setReviewThresholds(floor.id, body);
                return getLayout();
              }, 'Review thresholds saved')
            }
          />
          <form class="kt-warehouse__form" key="add-rack" onSubmit={addOne}>
            <input
              class="kt-input"
              data-testid="wh-new-rack"
              placeholder="New rack id, e.g. M01"
              value={rackId}
              maxLength={64}
              autoCapitalize="characters"
              onInput={(e) => setRackId(e.currentTarget.value)}
            />
            <button
              type="submit"
              class="kt-btn kt-btn--big"
              data-testid="wh-add-rack"
              disabled={busy || !rackId.trim()}
            >
              Add rack
            </button>
          </form>
          {floor.racks.length === 0 ? <p class="kt-muted">No racks on this floor yet.</p> : null}
          <ul class="kt-warehouse__racks">
            {floor.racks.map((r) => (
              <WarehouseRack
                key={r.rack_id}
                rack={r}
                open={open === r.rack_id}
                busy={busy}
                floorBlind={floor.blind === true}
                onToggle={() => setOpen(open === r.rack_id ? null : r.rack_id)}
                run={run}
              />
            ))}
          </ul>
        </section>
      ) : null}
      <StockImport onApplied={() => void getLayout().then(setLayout, () => undefined)} />
      <Toast toast={toast} />
    </div>
  );
}
