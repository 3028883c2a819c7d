/**
 * Room history read through a controller link carries no user ids (startedBy, actorId), while the owner's
 * carries them; the two answers are cached apart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, createRoom, member, startHarness, waitFor } from '../../support/live/harness.ts';

let h: Harness;
let owner: { token: string; id: string };

beforeAll(async () => {
  h = await startHarness();
  owner = await member(h, 'link-history');
});

afterAll(async () => {
  await h?.close();
});

describe('room history for link holders', () => {
  it('names the roles who acted, never a user id; the owner still sees the ids', async () => {
    const roomId = await createRoom(h, owner.token, 'Link history');
    const links = (await h.api('GET', `/api/rooms/${roomId}`, undefined, owner.token)).json.links;
    const timer = (
      await h.api('POST', `/api/rooms/${roomId}/timers`, { label: 'Talk', durationMs: 600_000 }, owner.token)
    ).json.timer;
    expect((await h.api('POST', `/api/rooms/${roomId}/timers/${timer.id}/start`, {}, owner.token)).status).toBe(200);

    const own = await waitFor(
      'the owner’s start in the history',
      async () => {
        const r = await h.api('GET', `/api/rooms/${roomId}/history`, undefined, owner.token);
        return r.json.runs?.length > 0 && r.json.actions?.some((a: { command: string }) => a.command === 'start')
          ? r.json
          : null;
      },
      30_000,
    );
    expect(own.runs[0].startedBy).toBe(owner.id);
    expect(own.actions.find((a: { command: string }) => a.command === 'start').actorId).toBe(owner.id);

    const viaLink = await h.api('GET', `/api/rooms/${links.controller}/history`);
    expect(viaLink.status).toBe(200);
    expect(viaLink.json.runs[0]).toMatchObject({ startedBy: null, startedByRole: 'owner' });
    for (const a of viaLink.json.actions) expect(a.actorId).toBeNull();
    expect(JSON.stringify(viaLink.json)).not.toContain(owner.id);
    // A cached owner answer is never served to the link, nor the other way round.
    const again = await h.api('GET', `/api/rooms/${roomId}/history?token=${links.controller}`);
    expect(JSON.stringify(again.json)).not.toContain(owner.id);
    expect((await h.api('GET', `/api/rooms/${roomId}/history`, undefined, owner.token)).json.runs[0].startedBy).toBe(
      owner.id,
    );
  });
});
