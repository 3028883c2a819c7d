/** My rooms: create, rename, delete, and open a room's control panel. */
import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorText } from '../../lib/net/api.ts';
import { type RoomSummary, controlPath, createRoom, deleteRoom, listRooms, renameRoom } from '../../lib/rooms/api.ts';
import { maybeSignedIn } from '../../lib/sessions/hint.ts';
import { ConfirmButton } from '../common/ConfirmButton.tsx';

const toLogin = () => location.replace(`/login/?next=${encodeURIComponent('/rooms/')}`);

export default function RoomsApp() {
  const [rooms, setRooms] = useState<RoomSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = () =>
    listRooms().then(
      (r) => setRooms([...r].sort((a, b) => b.createdAt - a.createdAt)),
      (e) => (e instanceof ApiError && e.status === 401 ? toLogin() : setError(errorText(e))),
    );
  useEffect(() => {
    if (!maybeSignedIn()) toLogin();
    else void load();
  }, []);

  const act = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div class="kt-rooms">
      <CreateRoom onCreate={(name) => act(() => createRoom(name))} />
      {error ? (
        <p class="kt-alert" role="alert" data-testid="rooms-error">
          {error}
        </p>
      ) : null}
      {rooms === null ? (
        <p class="kt-loading">Loading your rooms…</p>
      ) : rooms.length === 0 ? (
        <p class="kt-muted" data-testid="rooms-empty">
          No rooms yet. Create one above: a room holds a rundown of timers and its share links.
        </p>
      ) : (
        <ul class="kt-room-list" data-testid="room-list">
          {rooms.map((r) => (
            <RoomRow
              key={r.id}
              room={r}
              onRename={(name) => act(() => renameRoom(r.id, name))}
              onDelete={() => act(() => deleteRoom(r.id))}
            />
          ))}
        </ul>
      )}
    </div>
  );
}

function CreateRoom({ onCreate }: { onCreate: (name: string) => Promise<void> }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="kt-create-room"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!name.trim()) return;
        setBusy(true);
        await onCreate(name.trim());
        setName('');
        setBusy(false);
      }}
    >
      <input
        class="kt-input"
        placeholder="New room name, e.g. Main stage"
        aria-label="New room name"
        maxLength={120}
        value={name}
        onInput={(e) => setName(e.currentTarget.value)}
        data-testid="room-name-input"
      />
      <button class="kt-btn kt-btn--primary" type="submit" disabled={busy || !name.trim()} data-testid="room-create">
        Create room
      </button>
    </form>
  );
}

function RoomRow({
  room,
  onRename,
  onDelete,
}: {
  room: RoomSummary;
  onRename: (name: string) => void;
  onDelete: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(room.name);
  return (
    <li class="kt-room" data-testid="room-row" data-room-id={room.id}>
      {editing ? (
        <form
          class="kt-room__rename"
          onSubmit={(e) => {
            e.preventDefault();
            setEditing(false);
            if (name.trim() && name.trim() !== room.name) onRename(name.trim());
          }}
        >
          <input
            class="kt-input"
            value={name}
            maxLength={120}
            aria-label="Room name"
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="room-rename-input"
            autoFocus
          />
          <button class="kt-btn kt-btn--small kt-btn--primary" type="submit" data-testid="room-rename-save">
            Save
          </button>
        </form>
      ) : (
        <div class="kt-room__main">
          <a class="kt-room__name" href={controlPath(room.id)} data-testid="room-open">
            {room.name}
          </a>
          <span class="kt-muted kt-room__date">Created {new Date(room.createdAt).toLocaleDateString()}</span>
        </div>
      )}
      <div class="kt-room__actions">
        <a class="kt-btn kt-btn--small kt-btn--primary" href={controlPath(room.id)} data-testid="room-control">
          Open
        </a>
        {!editing ? (
          <button type="button" class="kt-btn kt-btn--small" onClick={() => setEditing(true)} data-testid="room-rename">
            Rename
          </button>
        ) : null}
        <ConfirmButton class="kt-btn--small" testid="room-delete" confirmText="Really delete?" onConfirm={onDelete}>
          Delete
        </ConfirmButton>
      </div>
    </li>
  );
}
