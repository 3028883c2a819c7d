/**
 * Catalogue routes of racks: leases, rack sessions and sync, conflicts, the floor's webhooks, the warehouse and
 * reviews (see ../routes.ts).
 */
import { z } from 'zod';
import {
  rackClaimBody,
  rackCompleteBody,
  rackForceReleaseBody,
  rackHeartbeatBody,
  rackLeaseBody,
  syncBatchBody,
} from '../../../../core/protocol.ts';
import {
  addRackBody,
  breakBody,
  conflictListQuery,
  createFloorBody,
  handoffBody,
  resolveConflictBody,
  reviewDecisionBody,
  reviewListQuery,
  reviewThresholdsBody,
  setExpectedBody,
  setFloorBody,
  setRackBlindBody,
  stockExportQuery,
} from '../../../../core/racks/protocol.ts';
import { STOCK_CSV_MAX_BYTES } from '../../../../core/racks/import.ts';
import { type RouteSpec, webhookRoutes } from './spec.ts';

const floorQuery = z.strictObject({
  floor: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z0-9-]+$/),
});

/** Racks, rack sessions and sync, conflicts and the floor's webhooks. */
export const RACK_ROUTES: RouteSpec[] = [
  // ── Racks ──
  { name: 'rack floors', method: 'GET', path: '/api/racks/floors', auth: 'user', writes: false },
  {
    name: 'racks available',
    method: 'GET',
    path: '/api/racks/available',
    auth: 'user',
    query: floorQuery,
    writes: false,
  },
  { name: 'racks user active', method: 'GET', path: '/api/racks/user/active', auth: 'user', writes: false },
  {
    name: 'rack claim',
    method: 'POST',
    path: '/api/racks/:rack/claim',
    auth: 'user',
    body: rackClaimBody,
    writes: true,
  },
  {
    name: 'rack release',
    method: 'POST',
    path: '/api/racks/:rack/release',
    auth: 'user',
    body: rackLeaseBody,
    writes: true,
  },
  {
    name: 'rack pause',
    method: 'POST',
    path: '/api/racks/:rack/pause',
    auth: 'user',
    body: rackLeaseBody,
    writes: true,
  },
  {
    name: 'rack resume',
    method: 'POST',
    path: '/api/racks/:rack/resume',
    auth: 'user',
    body: rackLeaseBody,
    writes: true,
  },
  {
    name: 'rack force release',
    method: 'POST',
    path: '/api/racks/:rack/force-release',
    auth: 'admin',
    body: rackForceReleaseBody,
    writes: true,
  },
  // Supervisor actions (issue 15): break a lease, hand it to another worker.
  { name: 'rack break', method: 'POST', path: '/api/racks/:rack/break', auth: 'admin', body: breakBody, writes: true },
  {
    name: 'rack handoff',
    method: 'POST',
    path: '/api/racks/:rack/handoff',
    auth: 'admin',
    body: handoffBody,
    writes: true,
  },
  { name: 'rack status', method: 'GET', path: '/api/racks/:rack/status', auth: 'user', writes: false },
  { name: 'rack ws', method: 'GET', path: '/api/racks/:rack/ws', auth: 'user', ws: true, writes: false },
  { name: 'floor ws', method: 'GET', path: '/api/floors/:floor/ws', auth: 'user', ws: true, writes: false },
  // ── Rack sessions and sync ──
  { name: 'rack sessions active', method: 'GET', path: '/api/rack-sessions/active', auth: 'user', writes: false },
  {
    name: 'rack sessions history',
    method: 'GET',
    path: '/api/rack-sessions/user/history',
    auth: 'user',
    writes: false,
  },
  { name: 'rack session', method: 'GET', path: '/api/rack-sessions/:rackSession', auth: 'user', writes: false },
  {
    name: 'rack session stats',
    method: 'GET',
    path: '/api/rack-sessions/:rackSession/stats',
    auth: 'user',
    writes: false,
  },
  {
    name: 'rack session records',
    method: 'GET',
    path: '/api/rack-sessions/:rackSession/records',
    auth: 'user',
    writes: false,
  },
  {
    name: 'rack heartbeat',
    method: 'POST',
    path: '/api/rack-sessions/:rackSession/heartbeat',
    auth: 'user',
    body: rackHeartbeatBody,
    writes: true,
  },
  {
    name: 'rack complete',
    method: 'POST',
    path: '/api/rack-sessions/:rackSession/complete',
    auth: 'user',
    body: rackCompleteBody,
    writes: true,
  },
  { name: 'sync batch', method: 'POST', path: '/api/sync/batch', auth: 'user', body: syncBatchBody, writes: true },
  // ── Rack conflicts (extension: the live holder or an admin) ──
  {
    name: 'rack conflicts',
    method: 'GET',
    path: '/api/racks/:rack/conflicts',
    auth: 'user',
    query: conflictListQuery,
    writes: false,
  },
  {
    name: 'rack conflict resolve',
    method: 'POST',
    path: '/api/racks/:rack/conflicts/:conflict/resolve',
    auth: 'user',
    body: resolveConflictBody,
    writes: true,
  },
  { name: 'floor conflicts', method: 'GET', path: '/api/floors/:floor/conflicts', auth: 'admin', writes: false },
  ...webhookRoutes('floor', '/api/floors/:floor', 'admin'),
];

/** The warehouse layout and grade (admins), stock import and export, reviews. */
export const WAREHOUSE_ROUTES: RouteSpec[] = [
  // ── Warehouse layout (extension: admins) ──
  { name: 'warehouse', method: 'GET', path: '/api/warehouse', auth: 'admin', writes: false },
  {
    name: 'warehouse create floor',
    method: 'POST',
    path: '/api/warehouse/floors',
    auth: 'admin',
    body: createFloorBody,
    writes: true,
  },
  {
    name: 'warehouse rename floor',
    method: 'PUT',
    path: '/api/warehouse/floors/:floor',
    auth: 'admin',
    body: setFloorBody,
    writes: true,
  },
  {
    name: 'warehouse add rack',
    method: 'POST',
    path: '/api/warehouse/floors/:floor/racks',
    auth: 'admin',
    body: addRackBody,
    writes: true,
  },
  {
    name: 'warehouse set expected',
    method: 'PUT',
    path: '/api/warehouse/racks/:rack/expected',
    auth: 'admin',
    body: setExpectedBody,
    writes: true,
  },
  { name: 'warehouse remove rack', method: 'DELETE', path: '/api/warehouse/racks/:rack', auth: 'admin', writes: true },
  // Warehouse grade (issue 15: admins): thresholds, blind racks, stock import (JSON {csv} here) and export, reviews.
  {
    name: 'warehouse floor review',
    method: 'PUT',
    path: '/api/warehouse/floors/:floor/review',
    auth: 'admin',
    body: reviewThresholdsBody,
    writes: true,
  },
  {
    name: 'warehouse rack blind',
    method: 'PUT',
    path: '/api/warehouse/racks/:rack/blind',
    auth: 'admin',
    body: setRackBlindBody,
    writes: true,
  },
  {
    name: 'warehouse import',
    method: 'POST',
    path: '/api/warehouse/import',
    auth: 'admin',
    body: z.strictObject({ csv: z.string().max(4000) }),
    writes: true,
    bodyLimit: STOCK_CSV_MAX_BYTES,
  },
  {
    name: 'warehouse export',
    method: 'GET',
    path: '/api/warehouse/export.csv',
    auth: 'admin',
    query: stockExportQuery,
    writes: false,
  },
  { name: 'reviews', method: 'GET', path: '/api/reviews', auth: 'admin', query: reviewListQuery, writes: false },
  { name: 'review', method: 'GET', path: '/api/reviews/:audit', auth: 'admin', writes: false },
  {
    name: 'review decide',
    method: 'POST',
    path: '/api/reviews/:audit/items/:item',
    auth: 'admin',
    body: reviewDecisionBody,
    writes: true,
  },
];
