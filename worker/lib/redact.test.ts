import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact.ts';

const room = '0123456789abcdef0123';
const token = `${room}_Zx9-Ab.Cd3fGh7Jk2Mn`;

describe('log redaction', () => {
  it.each([
    [`/r/${token}`, `/r/${room}_[redacted]`],
    [`/r/${token}?ticks=1`, `/r/${room}_[redacted]?ticks=1`],
    [`/api/rooms/${token}`, `/api/rooms/${room}_[redacted]`],
    [`/api/rooms/${token}/ws?device=Phone`, `/api/rooms/${room}_[redacted]/ws?device=Phone`],
    [`/api/rooms/${token}/timers/t1/start`, `/api/rooms/${room}_[redacted]/timers/t1/start`],
    [`/api/rooms/${room}%5F${token.slice(21)}`, `/api/rooms/${room}_[redacted]`],
    [`/api/rooms/${room}/history?token=${token}&limit=5`, `/api/rooms/${room}/history?token=[redacted]&limit=5`],
    [`/api/rooms/${room}/history?limit=5&key=${token}`, `/api/rooms/${room}/history?limit=5&key=[redacted]`],
    ['/api/sessions/ws?token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln', '/api/sessions/ws?token=[redacted]'],
    ['/api/x?next=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln', '/api/x?next=[redacted]'],
    ['/r/not-a-token-but-private', '/r/[redacted]'],
  ])('%s is logged as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it('leaves paths without secrets alone, and keeps the room id', () => {
    for (const url of [`/api/rooms/${room}`, `/api/rooms/${room}/timers?limit=5`, '/api/racks/available?floor=ground'])
      expect(redactUrl(url)).toBe(url);
  });
});
