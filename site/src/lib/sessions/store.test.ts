import { describe, expect, it } from 'vitest';
import { parseSessionMessage, type SessionServerMessage, type SessionView } from './messages.ts';
import { QUEUE_MAX_AGE_MS, memoryQueue, parseQueue } from './queue.ts';
import { SessionStore, predictedStatus, rejectionText } from './store.ts';

const view = (o: Partial<SessionView> = {}): SessionView => ({
  userId: 'u1',
  status: 'running',
  startTime: 1_000,
  elapsedTime: 0,
  pausedTime: 0,
  label: null,
  version: 1,
  serverTime: 1_000,
  id: 's1',
  endTime: null,
  accumulatedMs: 0,
  resumedAt: 1_000,
  pauseSegments: [],
  autoStopAt: null,
  autoStopped: false,
  projectId: null,
  taskId: null,
  tags: [],
  lastActivityAt: null,
  idleSince: null,
  idleAutoStopAt: null,
  focus: null,
  stopReason: null,
  stoppedBy: null,
  ...o,
});
const msg = (
  type:
    | 'SESSION_STARTED'
    | 'SESSION_PAUSED'
    | 'SESSION_STOPPED'
    | 'SESSION_STATE'
    | 'SESSION_IDLE'
    | 'SESSION_IDLE_CLEARED',
  v: SessionView,
  replyTo: string | null = null,
): SessionServerMessage => ({
  type,
  view: v,
  last: null,
  replyTo,
});

function setup(queue = memoryQueue()) {
  const sent: Array<Record<string, unknown>> = [];
  let open = true;
  const rejected: string[] = [];
  const store = new SessionStore({
    send: (m) => open && sent.push(m as Record<string, unknown>) > 0,
    queue,
    now: () => 5_000,
    onReject: (_c, code) => rejected.push(code),
  });
  return { store, sent, rejected, queue, setOpen: (o: boolean) => (open = o) };
}

describe('SessionStore', () => {
  it('applies messages in version order and ignores older ones', () => {
    const { store } = setup();
    store.apply(msg('SESSION_STATE', view({ version: 3, status: 'paused' })));
    store.apply(msg('SESSION_STARTED', view({ version: 2 })));
    expect(store.state.view?.status).toBe('paused');
    store.apply(msg('SESSION_STATE', view({ version: 4, status: 'running' })));
    expect(store.state.view?.version).toBe(4);
  });

  it('turns a stop into an idle session and remembers it as the last one', () => {
    const { store } = setup();
    store.apply(msg('SESSION_STATE', view({ version: 1 })));
    store.apply(msg('SESSION_STOPPED', view({ version: 2, status: 'stopped', endTime: 3_000, elapsedTime: 2_000 })));
    expect(store.state.view?.status).toBe('idle');
    expect(store.state.view?.version).toBe(2);
    expect(store.state.last?.elapsedTime).toBe(2_000);
  });

  it('queues commands while disconnected and resends them with the same ids on reconnect', () => {
    const { store, sent, queue } = setup();
    store.apply(msg('SESSION_STATE', view()));
    const c = store.command('pause');
    expect(sent).toEqual([]);
    expect(store.state.pending).toMatchObject([{ id: c.id, type: 'pause', sent: false }]);
    // The command carries the version it was made against (a late one must not touch a newer session).
    expect(queue.load()).toEqual([
      { id: c.id, type: 'pause', label: null, at: 5_000, baseVersion: 1, sessionId: 's1' },
    ]);
    store.reconnected();
    expect(sent).toEqual([{ type: 'SESSION_PAUSE', id: c.id, sessionId: 's1', baseVersion: 1 }]);
    expect(store.state.pending[0]?.sent).toBe(true);
    store.disconnected();
    store.reconnected();
    expect(sent).toEqual([
      { type: 'SESSION_PAUSE', id: c.id, sessionId: 's1', baseVersion: 1 },
      { type: 'SESSION_PAUSE', id: c.id, sessionId: 's1', baseVersion: 1 },
    ]);
    // The answer names the command: it leaves the queue.
    store.apply(msg('SESSION_PAUSED', view({ version: 2, status: 'paused' }), c.id));
    expect(store.state.pending).toEqual([]);
    expect(queue.load()).toEqual([]);
  });

  it('sends at once when live; an error naming the command settles it and reports the code', () => {
    const { store, sent, rejected } = setup();
    store.reconnected();
    const c = store.command('start', 'Morning');
    expect(sent).toEqual([{ type: 'SESSION_START', id: c.id, label: 'Morning' }]);
    store.apply({ type: 'error', id: c.id, code: 'session_exists', message: 'x' });
    expect(store.state.pending).toEqual([]);
    expect(rejected).toEqual(['session_exists']);
  });

  it('an old answer replayed for a command still settles it without rolling the state back', () => {
    const { store } = setup();
    store.reconnected();
    store.apply(msg('SESSION_STATE', view({ version: 5, status: 'paused' })));
    const c = store.command('resume');
    store.apply(msg('SESSION_STARTED', view({ version: 2 }), c.id));
    expect(store.state.pending).toEqual([]);
    expect(store.state.view?.version).toBe(5);
  });

  it('picks up a queue saved by an earlier page', () => {
    const queue = memoryQueue([{ id: 'q1', type: 'stop', label: null, at: 1 }]);
    const { store, sent } = setup(queue);
    expect(store.state.pending).toMatchObject([{ id: 'q1', sent: false }]);
    store.reconnected();
    expect(sent).toEqual([{ type: 'SESSION_STOP', id: 'q1' }]);
  });
});

describe('predictedStatus', () => {
  const q = (type: 'start' | 'pause' | 'resume' | 'stop') => ({ id: type, type, label: null, at: 0 });
  it('applies queued commands that would succeed', () => {
    expect(predictedStatus(null, [])).toBe('idle');
    expect(predictedStatus(view(), [q('pause')])).toBe('paused');
    expect(predictedStatus(view(), [q('pause'), q('resume')])).toBe('running');
    expect(predictedStatus(view(), [q('resume')])).toBe('running');
    expect(predictedStatus(view({ status: 'idle' }), [q('start'), q('stop')])).toBe('idle');
    expect(predictedStatus(view({ status: 'paused' }), [q('stop'), q('pause')])).toBe('idle');
  });
});

describe('queue storage', () => {
  it('parses what it saved and drops the malformed and the stale', () => {
    const now = 10 * QUEUE_MAX_AGE_MS;
    const good = { id: 'a', type: 'pause', label: null, at: now - 1_000 };
    expect(parseQueue(JSON.stringify([good]), now)).toEqual([good]);
    expect(parseQueue(JSON.stringify([{ ...good, at: now - QUEUE_MAX_AGE_MS - 1 }]), now)).toEqual([]);
    expect(parseQueue(JSON.stringify([{ ...good, type: 'explode' }]), now)).toEqual([]);
    expect(parseQueue('not json', now)).toEqual([]);
    expect(parseQueue(null, now)).toEqual([]);
  });
});

describe('parseSessionMessage', () => {
  it('reads a server frame, its reply id and the last session', () => {
    const raw = JSON.stringify({
      type: 'SESSION_STATE',
      ...view({ status: 'idle', startTime: null, id: null }),
      last: view({ status: 'stopped', version: 1 }),
      replyTo: 'x',
    });
    const m = parseSessionMessage(raw);
    expect(m).toMatchObject({
      type: 'SESSION_STATE',
      replyTo: 'x',
      view: { status: 'idle' },
      last: { status: 'stopped' },
    });
  });
  it('fills the instants in from the contract fields when a server leaves them out', () => {
    const m = parseSessionMessage(
      JSON.stringify({
        type: 'SESSION_STARTED',
        userId: 'u',
        status: 'running',
        startTime: 10,
        elapsedTime: 50,
        pausedTime: 0,
        label: null,
        version: 1,
        serverTime: 60,
      }),
    );
    expect(m).toMatchObject({ view: { accumulatedMs: 50, resumedAt: 60, pauseSegments: [] } });
  });
  it('drops junk', () => {
    expect(parseSessionMessage('{"type":"SESSION_STARTED"}')).toBeNull();
    expect(parseSessionMessage('nope')).toBeNull();
    expect(parseSessionMessage('{"type":"error","id":"a","code":"not_running","message":"m"}')).toEqual({
      type: 'error',
      id: 'a',
      code: 'not_running',
      message: 'm',
      details: null,
    });
  });
});

describe('idle prompt and stale devices', () => {
  it('opens on SESSION_IDLE, closes when a session message says so or the session stops', () => {
    const { store } = setup();
    store.apply(msg('SESSION_STATE', view({ version: 1 })));
    store.apply(msg('SESSION_IDLE', view({ version: 2, idleSince: 900 })));
    expect(store.state.idleSince).toBe(900);
    // Answered on another device.
    store.apply(msg('SESSION_IDLE_CLEARED', view({ version: 3 })));
    expect(store.state.idleSince).toBeNull();
    store.apply(msg('SESSION_IDLE', view({ version: 4, idleSince: 950 })));
    store.apply(msg('SESSION_STOPPED', view({ version: 5, status: 'stopped', idleSince: 950 })));
    expect(store.state.idleSince).toBeNull();
  });

  it('words a stale_session refusal with the device and the time', () => {
    const at = new Date(2026, 0, 5, 14, 2).getTime();
    const text = rejectionText('stale_session', 'm', {
      current: { status: 'running' },
      target: { id: 's1', status: 'stopped', endTime: at, stoppedBy: { device: 'laptop', role: 'user' } },
    });
    expect(text).toMatch(/^Stopped on your laptop at .*(14|0?2).02.*; a new session is running$/);
    expect(rejectionText('stale_session', 'plain words', null)).toBe('plain words');
  });
});
