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

  it('check the rows of the sessions-depth and racks-review tables', () => {
    const edit = {
      id: 'e1',
      userId: 'u1',
      sessionId: 's1',
      version: 2,
      op: 'update',
      actorId: 'u1',
      actorRole: 'user',
      at,
      before: { label: 'a' },
      after: { label: 'b' },
    };
    expect(insertIssues(insertSchemas.sessionEdits, edit)).toBeNull();
    expect(insertIssues(insertSchemas.sessionEdits, { ...edit, version: '2' })).toMatch(/^version: /);
    const project = {
      id: 'p1',
      userId: 'u1',
      name: 'Acme',
      color: '#2563eb',
      version: 1,
      createdAt: at,
      updatedAt: at,
    };
    expect(insertIssues(insertSchemas.projects, project)).toBeNull();
    expect(insertIssues(insertSchemas.projects, { ...project, name: undefined })).toMatch(/name/);
    const task = { id: 't1', userId: 'u1', projectId: 'p1', title: 'Draft', version: 1, createdAt: at, updatedAt: at };
    expect(insertIssues(insertSchemas.tasks, { ...task, estimateMs: 3_600_000 })).toBeNull();
    expect(insertIssues(insertSchemas.tasks, { ...task, projectId: undefined })).toMatch(/projectId/);
    const audit = {
      auditId: 'G01:3',
      rackId: 'G01',
      floorId: 'ground',
      status: 'needs_review',
      counterId: 'u1',
      startedAt: at,
      completedAt: at,
      items: [{ item_code: 'SKU-1', variance: -1 }],
      version: 1,
    };
    expect(insertIssues(insertSchemas.rackAudits, audit)).toBeNull();
    expect(insertIssues(insertSchemas.rackAudits, { ...audit, items: undefined })).toMatch(/items/);
    const entry = { auditId: 'G01:3', seq: 1, rackId: 'G01', type: 'completed', by: 'u1', at };
    expect(insertIssues(insertSchemas.rackAuditHistory, entry)).toBeNull();
    expect(insertIssues(insertSchemas.rackAuditHistory, { ...entry, seq: 'one' })).toMatch(/^seq: /);
  });
});
