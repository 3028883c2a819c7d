import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LIMITS,
  adjustBody,
  createRoomBody,
  createTimerBody,
  fitsBytes,
  loginBody,
  messageBody,
  parseClientMessage,
  reorderBody,
  roomClientMessage,
  roomCommand,
  rotateBody,
  signupBody,
  updateRoomBody,
  updateTimerBody,
} from './protocol.ts';
import { statusFor } from './errors.ts';
import { ROOM_SERVER_MESSAGES, type RoomServerMessageType } from './rooms/wire.ts';
import type { RejectCode, RoomEvent } from './rooms/transition.ts';

/** CPU-bound fast-check runs: generous on a busy shared machine, where the 5 s default is not a budget. */
const PROPERTY_TIMEOUT = 30_000;

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, v: unknown) => schema.safeParse(v).success;

describe('HTTP bodies', () => {
  it('createTimerBody: minimal and full definitions', () => {
    expect(createTimerBody.parse({ label: '  Keynote  ', durationMs: 600_000 })).toEqual({
      label: 'Keynote',
      durationMs: 600_000,
    });
    const full = {
      label: 'x',
      durationMs: 0,
      mode: 'time-of-day',
      targetTime: 1_700_000_000_000,
      trigger: 'scheduled',
      startAt: 1_700_000_000_000,
      warnMs: 60_000,
      dangerMs: null,
    };
    expect(createTimerBody.parse(full)).toEqual(full);
  });

  it.each([
    ['no label', { durationMs: 1 }],
    ['negative duration', { label: 'x', durationMs: -1 }],
    ['fractional duration', { label: 'x', durationMs: 1.5 }],
    ['over 100 days', { label: 'x', durationMs: LIMITS.maxDurationMs + 1 }],
    ['string duration', { label: 'x', durationMs: '60000' }],
    ['label too long', { label: 'x'.repeat(LIMITS.label + 1), durationMs: 1 }],
    ['unknown mode', { label: 'x', durationMs: 1, mode: 'stopwatch' }],
    ['unknown key', { label: 'x', durationMs: 1, state: 'running' }],
    ['scheduled without startAt', { label: 'x', durationMs: 1, trigger: 'scheduled' }],
    ['time-of-day without targetTime', { label: 'x', durationMs: 1, mode: 'time-of-day', targetTime: null }],
  ])('createTimerBody rejects %s', (_, body) => {
    expect(ok(createTimerBody, body)).toBe(false);
  });

  it('updateTimerBody needs at least one known field', () => {
    expect(ok(updateTimerBody, { label: 'y' })).toBe(true);
    expect(ok(updateTimerBody, { startAt: null })).toBe(true);
    expect(ok(updateTimerBody, {})).toBe(false);
    expect(ok(updateTimerBody, { order: 3 })).toBe(false);
  });

  it('small bodies', () => {
    expect(ok(adjustBody, { deltaMs: -30_000 })).toBe(true);
    expect(ok(adjustBody, { deltaMs: 0.5 })).toBe(false);
    expect(ok(adjustBody, { deltaMs: -LIMITS.maxDurationMs - 1 })).toBe(false);
    expect(ok(messageBody, { text: 'Wrap up', flash: true })).toBe(true);
    expect(ok(messageBody, { text: 'x'.repeat(LIMITS.message + 1) })).toBe(false);
    expect(ok(reorderBody, { timerIds: ['a', 'b'] })).toBe(true);
    // As many ids as a room holds timers (MAX_TIMERS, 500), and no more.
    expect(ok(reorderBody, { timerIds: Array.from({ length: 500 }, (_, i) => `t${i}`) })).toBe(true);
    expect(ok(reorderBody, { timerIds: Array.from({ length: 501 }, (_, i) => `t${i}`) })).toBe(false);
    expect(ok(reorderBody, { timerIds: [''] })).toBe(false);
    expect(ok(createRoomBody, { name: 'Main stage' })).toBe(true);
    expect(ok(createRoomBody, { name: '   ' })).toBe(false);
    expect(ok(updateRoomBody, {})).toBe(false);
    expect(ok(updateRoomBody, { warnMs: 30_000 })).toBe(true);
    expect(ok(rotateBody, { role: 'viewer' })).toBe(true);
    expect(ok(rotateBody, { role: 'owner' })).toBe(false);
  });

  it('accounts: emails are trimmed and lowercased; passwords have bounds', () => {
    expect(signupBody.parse({ email: ' Ada@Example.TEST ', password: 'longenough', name: 'Ada' }).email).toBe(
      'ada@example.test',
    );
    expect(ok(signupBody, { email: 'ada@example.test', password: 'short', name: 'Ada' })).toBe(false);
    expect(ok(signupBody, { email: 'not-an-email', password: 'longenough', name: 'Ada' })).toBe(false);
    expect(ok(loginBody, { email: 'ada@example.test', password: 'x' })).toBe(true);
    expect(ok(loginBody, { email: 'ada@example.test', password: '' })).toBe(false);
  });
});

describe('room commands and client messages', () => {
  const valid: unknown[] = [
    { type: 'create-timer', timer: { label: 'a', durationMs: 1_000 } },
    { type: 'update-timer', timerId: 't1', patch: { durationMs: 5 } },
    { type: 'delete-timer', timerId: 't1' },
    { type: 'start' },
    { type: 'pause', timerId: 't1' },
    { type: 'resume' },
    { type: 'reset', timerId: 't1' },
    { type: 'adjust', deltaMs: 60_000 },
    { type: 'next' },
    { type: 'previous' },
    { type: 'select', timerId: 't1' },
    { type: 'reorder', timerIds: ['t2', 't1'] },
    { type: 'set-message', text: 'hi', blackout: true },
    { type: 'clear-message' },
    { type: 'update-room', name: 'New' },
  ];

  it.each(valid)('accepts %o', (cmd) => {
    expect(ok(roomCommand, cmd)).toBe(true);
    expect(parseClientMessage(roomClientMessage, JSON.stringify({ type: 'command', id: 'c1', command: cmd }))).toEqual({
      type: 'command',
      id: 'c1',
      command: cmd,
    });
  });

  it.each([
    { type: 'tick' },
    { type: 'start', timerId: '' },
    { type: 'start', extra: 1 },
    { type: 'adjust' },
    { type: 'select' },
    { type: 'create-timer', id: 'chosen-by-client', timer: { label: 'a', durationMs: 1 } },
    { type: 'update-timer', timerId: 'x'.repeat(65), patch: { label: 'a' } },
  ])('rejects %o', (cmd) => {
    expect(ok(roomCommand, cmd)).toBe(false);
  });

  it('client messages', () => {
    expect(parseClientMessage(roomClientMessage, '{"type":"ping","t0":123.5}')).toEqual({ type: 'ping', t0: 123.5 });
    expect(parseClientMessage(roomClientMessage, '{"type":"request-sync"}')).toEqual({ type: 'request-sync' });
    expect(parseClientMessage(roomClientMessage, '{"type":"hello","device":"ipad"}')).toEqual({
      type: 'hello',
      device: 'ipad',
    });
    expect(parseClientMessage(roomClientMessage, '{"type":"ping"}')).toBeNull();
    expect(parseClientMessage(roomClientMessage, '{"type":"ping","t0":1,"rtt":-1}')).toBeNull();
    expect(parseClientMessage(roomClientMessage, '{"type":"command","id":"","command":{"type":"next"}}')).toBeNull();
  });

  it('garbage frames are null, never a throw', () => {
    for (const raw of [
      '',
      'null',
      '[]',
      '"ping"',
      '{',
      '{"type":"ping","t0":1e999}',
      '{"type":"ping","t0":1}x',
      'NaN',
    ]) {
      expect(parseClientMessage(roomClientMessage, raw)).toBeNull();
    }
    expect(
      parseClientMessage(roomClientMessage, new TextEncoder().encode('{"type":"request-sync"}').buffer as ArrayBuffer),
    ).toBeNull();
    expect(parseClientMessage(roomClientMessage, '['.repeat(10_000) + ']'.repeat(10_000))).toBeNull();
  });

  it('a __proto__ key is refused and pollutes nothing', () => {
    expect(parseClientMessage(roomClientMessage, '{"type":"request-sync","__proto__":{"polluted":true}}')).toBeNull();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('oversize frames are null even when valid, measured in UTF-8 bytes', () => {
    const msg = '{"type":"request-sync"}';
    const exact = msg + ' '.repeat(LIMITS.wsMessage - msg.length);
    expect(parseClientMessage(roomClientMessage, exact)).toEqual({ type: 'request-sync' });
    expect(parseClientMessage(roomClientMessage, `${exact} `)).toBeNull();
    // 6000 two-byte characters: under the limit in UTF-16 units, over it in bytes.
    const wide = JSON.stringify({ type: 'hello', device: 'é'.repeat(6_000) });
    expect(wide.length).toBeLessThan(LIMITS.wsMessage);
    expect(parseClientMessage(roomClientMessage, wide)).toBeNull();
    expect(fitsBytes('é'.repeat(8_192), LIMITS.wsMessage)).toBe(true);
    expect(fitsBytes('é'.repeat(8_193), LIMITS.wsMessage)).toBe(false);
    expect(fitsBytes('😀'.repeat(4_096), LIMITS.wsMessage)).toBe(true);
    expect(fitsBytes('😀'.repeat(4_097), LIMITS.wsMessage)).toBe(false);
  });

  it('random JSON: parses exactly when the schema accepts it, and never throws', { timeout: PROPERTY_TIMEOUT }, () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const raw = JSON.stringify(v) ?? 'null';
        const parsed = roomClientMessage.safeParse(JSON.parse(raw));
        expect(parseClientMessage(roomClientMessage, raw)).toEqual(
          parsed.success && fitsBytes(raw, LIMITS.wsMessage) ? parsed.data : null,
        );
      }),
      { numRuns: 500 },
    );
  });

  it('near-misses with a known type and random fields are null unless fully valid', {
    timeout: PROPERTY_TIMEOUT,
  }, () => {
    const types = ['ping', 'request-sync', 'command', 'hello'];
    const cmdTypes = valid.map((c) => (c as { type: string }).type);
    const near = fc.record(
      {
        type: fc.constantFrom(...types),
        t0: fc.oneof(fc.double(), fc.string(), fc.constant(undefined)),
        id: fc.oneof(fc.string({ maxLength: 130 }), fc.integer()),
        command: fc.record(
          { type: fc.constantFrom(...cmdTypes), timerId: fc.string({ maxLength: 70 }), deltaMs: fc.double() },
          { requiredKeys: ['type'] },
        ),
        device: fc.string({ maxLength: 90 }),
      },
      { requiredKeys: ['type'] },
    );
    fc.assert(
      fc.property(near, (v) => {
        const out = parseClientMessage(roomClientMessage, JSON.stringify(v));
        if (out !== null) expect(roomClientMessage.safeParse(out).success).toBe(true);
        if (!roomClientMessage.safeParse(JSON.parse(JSON.stringify(v))).success) expect(out).toBeNull();
      }),
      { numRuns: 500 },
    );
  });

  // JSON-looking garbage (tokens, lone surrogates, non-BMP characters) reaches further into the parser than noise.
  const token = fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    '"',
    ':',
    ',',
    '"type"',
    '"ping"',
    '"t0"',
    '"command"',
    '1e309',
    '-0',
    'null',
    '\uD800',
    'é',
    '😀',
    ' ',
  );
  const jsonish = fc.oneof(
    fc
      .array(fc.oneof(token, fc.string({ unit: 'grapheme-ascii', maxLength: 3 })), { maxLength: 60 })
      .map((a) => a.join('')),
    fc.string({ unit: 'grapheme', maxLength: 200 }),
  );

  it('random strings never throw', { timeout: PROPERTY_TIMEOUT }, () => {
    fc.assert(
      fc.property(jsonish, (raw) => {
        const out = parseClientMessage(roomClientMessage, raw);
        expect(out === null || roomClientMessage.safeParse(out).success).toBe(true);
      }),
    );
  });
});

describe('server messages and error codes', () => {
  it('every room event type is a declared server message', () => {
    // Compile-time: fails to type-check if an event type is missing from the list.
    const covered: [Exclude<RoomEvent['type'], RoomServerMessageType>] extends [never] ? true : false = true;
    expect(covered).toBe(true);
    expect(new Set(ROOM_SERVER_MESSAGES).size).toBe(ROOM_SERVER_MESSAGES.length);
  });

  it('maps codes to statuses, defaulting domain rejections to 409', () => {
    expect(statusFor('validation_failed')).toBe(400);
    expect(statusFor('unauthenticated')).toBe(401);
    expect(statusFor('forbidden')).toBe(403);
    expect(statusFor('timer_not_found')).toBe(404);
    expect(statusFor('payload_too_large')).toBe(413);
    expect(statusFor('rate_limited')).toBe(429);
    const domain: RejectCode[] = ['not_running', 'not_paused', 'already_running', 'timer_finished', 'no_next_timer'];
    for (const code of domain) expect(statusFor(code)).toBe(409);
  });
});
