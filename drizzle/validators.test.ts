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

  it('check the rack rows the mirror writes: sessions, racks, scan records, conflicts and the layout', () => {
    const session = {
      id: 'G01:3',
      rackId: 'G01',
      floorId: 'ground',
      userId: 'u1',
      fencingToken: 3,
      status: 'completed',
      startedAt: at,
      lastHeartbeatAt: at,
      endedAt: at,
      endReason: 'completed',
      pausedMs: 0,
      totalItems: 2,
      verifiedItems: 1,
      damageItems: 1,
      summary: { total_items: 2, missing: [] },
      version: 7,
      createdAt: at,
      updatedAt: at,
    };
    expect(insertIssues(insertSchemas.rackSessions, session)).toBeNull();
    expect(insertIssues(insertSchemas.rackSessions, { ...session, fencingToken: '3' })).toMatch(/^fencingToken: /);
    const rack = {
      id: 'G01',
      floorId: 'ground',
      name: 'G01',
      status: 'claimed',
      holderId: 'u1',
      version: 7,
      updatedAt: at,
    };
    expect(insertIssues(insertSchemas.racks, rack)).toBeNull();
    const record = {
      rackSessionId: 'G01:3',
      clientRecordId: 'c1',
      rackId: 'G01',
      userId: 'u1',
      itemCode: 'SKU-1',
      verifiedQty: 4,
      damageQty: 0,
      serialNumbers: ['S1'],
      status: 'verified',
      version: 1,
      clientCreatedAt: at,
      clientUpdatedAt: at,
      syncedAt: at,
    };
    expect(insertIssues(insertSchemas.scanRecords, record)).toBeNull();
    expect(insertIssues(insertSchemas.scanRecords, { ...record, itemCode: undefined })).toMatch(/itemCode/);
    const conflict = {
      rackId: 'G01',
      conflictId: 'c2',
      itemCode: 'SKU-1',
      rackSessionId: 'G01:3',
      userId: 'u1',
      reason: 'stale_base_version',
      mine: { item_code: 'SKU-1' },
      theirs: { item_code: 'SKU-1' },
      status: 'open',
      choice: null,
      resolvedBy: null,
      resolvedAt: null,
      resolved: null,
      detectedAt: at,
    };
    expect(insertIssues(insertSchemas.scanConflicts, conflict)).toBeNull();
    expect(insertIssues(insertSchemas.floors, { id: 'ground', name: 'Ground', position: 0 })).toBeNull();
    expect(insertIssues(insertSchemas.rackItems, { rackId: 'G01', itemCode: 'SKU-1', expectedQty: 5 })).toBeNull();
  });
});
