import { describe, expect, it } from 'vitest';
import { redactHeaders, redactUrl } from './redact.ts';

const room = '0123456789abcdef0123';
const token = `${room}_Zx9-Ab.Cd3fGh7Jk2Mn`;
/** A personal API token: kt_<account object id>_<token id>_<secret>. */
const pat = `kt_${'ab12'.repeat(16)}_0123456789abcdef_${'Q9x_-z'.repeat(7)}A`;

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
    [`/api/sessions/ws?token=${pat}`, '/api/sessions/ws?token=[redacted]'],
    [`/api/rooms/${room}/ws?device=x&token=${pat}`, `/api/rooms/${room}/ws?device=x&token=[redacted]`],
    [`/api/x?next=${pat}`, '/api/x?next=kt_[redacted]'],
    [`/api/x?next=${pat.replace(/_/g, '%5F')}`, '/api/x?next=kt_[redacted]'],
    [`/api/tokens/${pat}`, '/api/tokens/kt_[redacted]'],
  ])('%s is logged as %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it('leaves paths without secrets alone, and keeps the room id', () => {
    for (const url of [`/api/rooms/${room}`, `/api/rooms/${room}/timers?limit=5`, '/api/racks/available?floor=ground'])
      expect(redactUrl(url)).toBe(url);
  });
});

describe('header redaction', () => {
  it('keeps only the scheme of Authorization, for API tokens and JWTs alike', () => {
    const h = new Headers({ Authorization: `Bearer ${pat}`, 'X-Other': `copy of ${pat}`, Accept: 'application/json' });
    const out = redactHeaders(h);
    expect(out).toEqual({
      authorization: 'Bearer [redacted]',
      'x-other': 'copy of kt_[redacted]',
      accept: 'application/json',
    });
    expect(JSON.stringify(out)).not.toContain(pat.slice(3, 40));
    expect(redactHeaders(new Headers({ Authorization: 'Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln' }))).toEqual({
      authorization: 'Bearer [redacted]',
    });
  });

  it('keeps cookie names and drops their values; share-token headers go whole', () => {
    const out = redactHeaders(new Headers({ Cookie: `kt_session=eyJx.eyJy.z; theme=dark`, 'X-Room-Token': token }));
    expect(out).toEqual({ cookie: 'kt_session=[redacted]; theme=[redacted]', 'x-room-token': '[redacted]' });
  });

  it('leaves the cookie name kt_session and short kt_ words alone in URLs', () => {
    for (const url of ['/api/x?name=kt_session', '/api/x?name=kt_abc']) expect(redactUrl(url)).toBe(url);
  });
});
