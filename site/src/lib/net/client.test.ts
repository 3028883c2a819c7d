import { afterEach, describe, expect, it, vi } from 'vitest';
import { leaseCommand, listAvailable } from '../racks/api.ts';
import { rotateLink, updateRoom } from '../rooms/api.ts';
import { fetchHistoryPage } from '../sessions/api.ts';

/** Records each request and answers `body`. */
function stubFetch(body: unknown) {
  const calls: { url: string; method: string; headers: Record<string, string>; body: unknown }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: String(init.method),
      headers: init.headers as Record<string, string>,
      body: init.body === undefined ? undefined : JSON.parse(String(init.body)),
    });
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('typed API client', () => {
  it('builds the same paths, methods and bodies as the hand-written ones', async () => {
    const calls = stubFetch({ links: { viewer: 'v', controller: 'c' }, racks: [], status: 'paused', expires_at: 5 });
    await rotateLink('r1', 'viewer');
    await updateRoom('r1', { name: 'N' });
    await listAvailable('floor-1');
    await leaseCommand('pause', { rack_id: 'A 1', session_id: 's', fencing_token: 3 });
    expect(calls.map((c) => [c.method, c.url])).toEqual([
      ['POST', '/api/rooms/r1/links/rotate'],
      ['PUT', '/api/rooms/r1'],
      ['GET', '/api/racks/available?floor=floor-1'],
      ['POST', '/api/racks/A%201/pause'],
    ]);
    expect(calls[0]?.body).toEqual({ role: 'viewer' });
    expect(calls[0]?.headers['Idempotency-Key']).toBeTruthy();
    expect(calls[3]?.body).toEqual({ session_id: 's', fencing_token: 3 });
  });

  it('passes query parameters in order', async () => {
    const calls = stubFetch({ sessions: [], nextCursor: null });
    await fetchHistoryPage('c1', 5);
    expect(calls[0]?.url).toBe('/api/sessions?limit=5&cursor=c1');
  });
});
