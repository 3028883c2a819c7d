/** Catalogue routes of live sessions, entries, projects and tasks, and the user's webhooks (see ../routes.ts). */
import { z } from 'zod';
import {
  activityBody,
  idleAnswerBody,
  sessionGuardBody,
  sessionSettingsBody,
  startSessionBody,
  updateSessionBody,
} from '../../../../core/protocol.ts';
import {
  breakRuleBody,
  createEntryBody,
  createProjectBody,
  createTaskBody,
  updateEntryBody,
  updateProjectBody,
  updateTaskBody,
} from '../../../../core/sessions/entry-protocol.ts';
import { type RouteSpec, int, userId, wsQuery, webhookRoutes } from './spec.ts';

const sessionsQuery = z.strictObject({
  userId: userId.optional(),
  limit: int(1, 200).optional(),
  cursor: z.string().min(1).max(200).optional(),
});

const statsQuery = z.strictObject({
  userId: userId.optional(),
  days: int(1, 365).optional(),
  tzOffset: int(-840, 840).optional(),
});

const ownerQuery = z.strictObject({ userId: userId.optional() });

/** Live sessions, entries, projects and tasks. */
export const SESSION_ROUTES: RouteSpec[] = [
  // ── Live sessions ──
  {
    name: 'session start',
    method: 'POST',
    path: '/api/sessions/start',
    auth: 'user',
    body: startSessionBody,
    writes: true,
  },
  {
    name: 'session pause',
    method: 'POST',
    path: '/api/sessions/pause',
    auth: 'user',
    body: sessionGuardBody,
    writes: true,
  },
  {
    name: 'session resume',
    method: 'POST',
    path: '/api/sessions/resume',
    auth: 'user',
    body: sessionGuardBody,
    writes: true,
  },
  {
    name: 'session stop',
    method: 'POST',
    path: '/api/sessions/stop',
    auth: 'user',
    body: sessionGuardBody,
    writes: true,
  },
  // Live clock (issue 14)
  {
    name: 'session update',
    method: 'PUT',
    path: '/api/sessions/current',
    auth: 'user',
    body: updateSessionBody,
    writes: true,
  },
  {
    name: 'session activity',
    method: 'POST',
    path: '/api/sessions/activity',
    auth: 'user',
    body: activityBody,
    writes: true,
  },
  {
    name: 'session idle answer',
    method: 'POST',
    path: '/api/sessions/idle',
    auth: 'user',
    body: idleAnswerBody,
    writes: true,
  },
  { name: 'session settings', method: 'GET', path: '/api/sessions/settings', auth: 'user', writes: false },
  {
    name: 'session settings update',
    method: 'PUT',
    path: '/api/sessions/settings',
    auth: 'user',
    body: sessionSettingsBody,
    writes: true,
  },
  {
    name: 'session current',
    method: 'GET',
    path: '/api/sessions/current',
    auth: 'user',
    query: ownerQuery,
    writes: false,
  },
  {
    name: 'session ws',
    method: 'GET',
    path: '/api/sessions/ws',
    auth: 'user',
    query: wsQuery,
    ws: true,
    writes: false,
  },
  { name: 'sessions active', method: 'GET', path: '/api/sessions/active', auth: 'admin', writes: false },
  { name: 'session history', method: 'GET', path: '/api/sessions', auth: 'user', query: sessionsQuery, writes: false },
  { name: 'session stats', method: 'GET', path: '/api/sessions/stats', auth: 'user', query: statsQuery, writes: false },
  {
    name: 'session csv',
    method: 'GET',
    path: '/api/sessions/export.csv',
    auth: 'user',
    query: ownerQuery,
    writes: false,
  },
  // Entries, projects and tasks (issue 14): :entry, :project and :task name none (404 once admitted).
  {
    name: 'session entry create',
    method: 'POST',
    path: '/api/sessions/entries',
    auth: 'user',
    body: createEntryBody,
    writes: true,
  },
  {
    name: 'session entry update',
    method: 'PUT',
    path: '/api/sessions/:entry',
    auth: 'user',
    body: updateEntryBody,
    writes: true,
  },
  {
    name: 'session entry delete',
    method: 'DELETE',
    path: '/api/sessions/:entry',
    auth: 'user',
    query: z.strictObject({ baseVersion: int(0, 1_000_000).optional() }),
    writes: true,
  },
  { name: 'session entry restore', method: 'POST', path: '/api/sessions/:entry/restore', auth: 'user', writes: true },
  {
    name: 'session entry trail',
    method: 'GET',
    path: '/api/sessions/:entry/trail',
    auth: 'user',
    query: ownerQuery,
    writes: false,
  },
  { name: 'session break rule', method: 'GET', path: '/api/sessions/break-rule', auth: 'user', writes: false },
  {
    name: 'session break rule update',
    method: 'PUT',
    path: '/api/sessions/break-rule',
    auth: 'user',
    body: breakRuleBody,
    writes: true,
  },
  {
    name: 'session report',
    method: 'GET',
    path: '/api/sessions/report',
    auth: 'user',
    query: z.strictObject({
      userId: userId.optional(),
      // Instants (epoch ms or ISO) travel as text in a query.
      from: z.string().max(40).optional(),
      to: z.string().max(40).optional(),
      projectId: z.string().min(1).max(64).optional(),
      tzOffset: int(-840, 840).optional(),
    }),
    writes: false,
  },
  { name: 'projects', method: 'GET', path: '/api/projects', auth: 'user', query: ownerQuery, writes: false },
  {
    name: 'project create',
    method: 'POST',
    path: '/api/projects',
    auth: 'user',
    body: createProjectBody,
    writes: true,
  },
  {
    name: 'project update',
    method: 'PUT',
    path: '/api/projects/:project',
    auth: 'user',
    body: updateProjectBody,
    writes: true,
  },
  { name: 'project delete', method: 'DELETE', path: '/api/projects/:project', auth: 'user', writes: true },
  {
    name: 'project tasks',
    method: 'GET',
    path: '/api/projects/:project/tasks',
    auth: 'user',
    query: ownerQuery,
    writes: false,
  },
  {
    name: 'task create',
    method: 'POST',
    path: '/api/projects/:project/tasks',
    auth: 'user',
    body: createTaskBody,
    writes: true,
  },
  { name: 'task update', method: 'PUT', path: '/api/tasks/:task', auth: 'user', body: updateTaskBody, writes: true },
  { name: 'task delete', method: 'DELETE', path: '/api/tasks/:task', auth: 'user', writes: true },
];

/** The user's own webhooks (listed after the floor's in the catalogue). */
export const SESSION_WEBHOOK_ROUTES: RouteSpec[] = [...webhookRoutes('session', '/api/sessions', 'user')];
