import { describe, expect, it } from 'vitest';
import { insertIssues, insertSchemas } from './validators.ts';

const at = new Date(1_795_000_000_000);

describe('insert validators derived from the tables', () => {
  it('accept a well-formed room action and session', () => {
    expect(
      insertIssues(insertSchemas.roomActions, {
        id: 'e1',
        roomId: 'r1',
        version: 3,
        command: 'start',
        timerId: 't1',
        payload: { a: 1 },
        actorId: null,
        actorRole: 'owner',
        at,
      }),
    ).toBeNull();
    expect(
      insertIssues(insertSchemas.sessions, {
        id: 's1',
        userId: 'u1',
        label: 'Cow 17',
        status: 'completed',
        startTime: at,
        endTime: at,
        durationMs: 1000,
        elapsedMs: 900,
        pausedMs: 100,
        pauseSegments: [{ pausedAt: 1, resumedAt: 2 }],
        autoStopped: false,
        version: 4,
        createdAt: at,
        updatedAt: at,
      }),
    ).toBeNull();
  });

  it('name what is wrong with a row that can never be written', () => {
    expect(
      insertIssues(insertSchemas.roomActions, {
        id: 'e1',
        roomId: 'r1',
        command: 'start',
        actorRole: 'owner',
        at: 'yesterday',
      }),
    ).toMatch(/^at: /);
    expect(
      insertIssues(insertSchemas.events, {
        eventId: 'e1',
        aggregateType: 'room',
        type: 'room.command',
        occurredAt: at,
      }),
    ).toMatch(/aggregateId/);
  });
});
