/**
 * Insert validators derived from the tables (drizzle-zod), so a row that can
 * never be written is caught before it reaches Postgres.
 */
import { createInsertSchema } from 'drizzle-zod';
import type { z } from 'zod';
import {
  dailyStatsTable,
  eventsTable,
  floorsTable,
  projectsTable,
  rackAuditHistoryTable,
  rackAuditsTable,
  rackItemsTable,
  rackSessionsTable,
  racksTable,
  roomActionsTable,
  roomsTable,
  scanConflictsTable,
  scanRecordsTable,
  sessionEditsTable,
  sessionsTable,
  tasksTable,
  timerRunsTable,
  timersTable,
  usersTable,
} from './schema.ts';

export const insertSchemas = {
  events: createInsertSchema(eventsTable),
  users: createInsertSchema(usersTable),
  rooms: createInsertSchema(roomsTable),
  timers: createInsertSchema(timersTable),
  timerRuns: createInsertSchema(timerRunsTable),
  roomActions: createInsertSchema(roomActionsTable),
  sessions: createInsertSchema(sessionsTable),
  sessionEdits: createInsertSchema(sessionEditsTable),
  projects: createInsertSchema(projectsTable),
  tasks: createInsertSchema(tasksTable),
  floors: createInsertSchema(floorsTable),
  racks: createInsertSchema(racksTable),
  rackItems: createInsertSchema(rackItemsTable),
  rackSessions: createInsertSchema(rackSessionsTable),
  scanRecords: createInsertSchema(scanRecordsTable),
  scanConflicts: createInsertSchema(scanConflictsTable),
  rackAudits: createInsertSchema(rackAuditsTable),
  rackAuditHistory: createInsertSchema(rackAuditHistoryTable),
  dailyStats: createInsertSchema(dailyStatsTable),
} as const;

/** Issues of `value` against `schema`, or null when it is valid. */
export function insertIssues(schema: z.ZodType, value: unknown): string | null {
  const r = schema.safeParse(value);
  return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}
