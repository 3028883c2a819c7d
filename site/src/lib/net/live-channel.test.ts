import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from './api.ts';
import { CommandChannel } from './command-channel.ts';
import { CLOSE } from './close-codes.ts';
import { liveUrl, refusalCode } from './live-channel.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('live channel', () => {
  it('builds the socket URL from the page: wss under https, absent parameters left out', () => {
    vi.stubGlobal('location', { protocol: 'https:', host: 'kt.example' });
    expect(liveUrl('/api/rooms/r%201/ws', { token: null, device: 'My phone' })).toBe(
      'wss://kt.example/api/rooms/r%201/ws?device=My+phone',
    );
    vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:8787' });
    expect(liveUrl('/api/ops/ws')).toBe('ws://127.0.0.1:8787/api/ops/ws');
  });

  it('turns a refused upgrade’s HTTP status into the close code the page acts on', () => {
    expect(refusalCode(new ApiError(401, 'unauthenticated', ''))).toBe(CLOSE.unauthenticated);
    expect(refusalCode(new ApiError(403, 'forbidden', ''))).toBe(CLOSE.forbidden);
    expect(refusalCode(new ApiError(404, 'not_found', ''))).toBe(CLOSE.deleted);
    expect(refusalCode(new ApiError(0, 'network', ''))).toBeNull();
    expect(refusalCode(new Error('boom'))).toBeNull();
  });
});

describe('command channel', () => {
  type Cmd = { id: string; n: number };
  const setup = (waitForOpen: boolean) => {
    const sent: object[] = [];
    let open = true;
    const channel = new CommandChannel<Cmd, string>({
      send: (f) => open && sent.push(f) > 0,
      frame: (c) => ({ type: 'cmd', ...c }),
      waitForOpen,
      timeout: { ms: 1_000, result: 'timeout' },
    });
    return { channel, sent, setOpen: (o: boolean) => (open = o) };
  };

  it('holds commands until open when asked, and resends the unanswered with their ids on every open', () => {
    const { channel, sent } = setup(true);
    const { command } = channel.issue((id) => ({ id, n: 1 }));
    expect(sent).toEqual([]);
    channel.opened();
    channel.closed();
    channel.opened();
    expect(sent).toEqual([
      { type: 'cmd', id: command.id, n: 1 },
      { type: 'cmd', id: command.id, n: 1 },
    ]);
    expect(channel.pending).toEqual([{ command, sent: true }]);
  });

  it('settles once: by the answer, or by the timeout when none comes', async () => {
    vi.useFakeTimers();
    const { channel } = setup(false);
    const a = channel.issue((id) => ({ id, n: 1 }));
    const b = channel.issue((id) => ({ id, n: 2 }));
    expect(channel.settle(a.command.id, 'ok')).toEqual(a.command);
    expect(channel.settle(a.command.id, 'again')).toBeNull();
    vi.advanceTimersByTime(1_000);
    await expect(a.answer).resolves.toBe('ok');
    await expect(b.answer).resolves.toBe('timeout');
    expect(channel.pending).toEqual([]);
  });
});
