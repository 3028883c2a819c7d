/** Catalogue routes of rooms: timers, history, rundown, feed, devices and the room's webhooks (see ../routes.ts). */
import { z } from 'zod';
import {
  adjustBody,
  createRoomBody,
  createTimerBody,
  messageBody,
  reorderBody,
  rotateBody,
  updateRoomBody,
  updateTimerBody,
  deviceNameBody,
} from '../../../../core/protocol.ts';
import { RUNDOWN_CSV_MAX_BYTES } from '../../../../core/rooms/rundown-csv.ts';
import { type RouteSpec, int, wsQuery, webhookRoutes } from './spec.ts';

const roomHistoryQuery = z.strictObject({ limit: int(1, 500).optional() });

/** A room socket also resumes after a version (`since`, digits). */
const roomWsQuery = wsQuery.extend({
  since: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
});

const rundownImportBody = z.strictObject({ csv: z.string() });

const nowQuery = z.strictObject({ wait: int(0, 60).optional() });

const R = '/api/rooms/:room';
const T = `${R}/timers/:timer`;

/** Rooms, in catalogue order. */
export const ROOM_ROUTES: RouteSpec[] = [
  // ── Rooms ──
  { name: 'create room', method: 'POST', path: '/api/rooms', auth: 'user', body: createRoomBody, writes: true },
  { name: 'list rooms', method: 'GET', path: '/api/rooms', auth: 'user', writes: false },
  { name: 'room snapshot', method: 'GET', path: R, auth: 'room-read', writes: false },
  { name: 'update room', method: 'PUT', path: R, auth: 'room-owner', body: updateRoomBody, writes: true },
  { name: 'delete room', method: 'DELETE', path: R, auth: 'room-owner', writes: true },
  {
    name: 'rotate link',
    method: 'POST',
    path: `${R}/links/rotate`,
    auth: 'room-owner',
    body: rotateBody,
    writes: true,
  },
  {
    name: 'create timer',
    method: 'POST',
    path: `${R}/timers`,
    auth: 'room-control',
    body: createTimerBody,
    writes: true,
  },
  { name: 'update timer', method: 'PUT', path: T, auth: 'room-control', body: updateTimerBody, writes: true },
  { name: 'delete timer', method: 'DELETE', path: T, auth: 'room-control', writes: true },
  { name: 'start timer', method: 'POST', path: `${T}/start`, auth: 'room-control', writes: true },
  { name: 'pause timer', method: 'POST', path: `${T}/pause`, auth: 'room-control', writes: true },
  { name: 'resume timer', method: 'POST', path: `${T}/resume`, auth: 'room-control', writes: true },
  { name: 'reset timer', method: 'POST', path: `${T}/reset`, auth: 'room-control', writes: true },
  { name: 'select timer', method: 'POST', path: `${T}/select`, auth: 'room-control', writes: true },
  { name: 'adjust timer', method: 'POST', path: `${T}/adjust`, auth: 'room-control', body: adjustBody, writes: true },
  { name: 'next', method: 'POST', path: `${R}/next`, auth: 'room-control', writes: true },
  { name: 'previous', method: 'POST', path: `${R}/previous`, auth: 'room-control', writes: true },
  { name: 'reorder', method: 'POST', path: `${R}/reorder`, auth: 'room-control', body: reorderBody, writes: true },
  { name: 'set message', method: 'POST', path: `${R}/message`, auth: 'room-control', body: messageBody, writes: true },
  { name: 'clear message', method: 'DELETE', path: `${R}/message`, auth: 'room-control', writes: true },
  { name: 'room ws', method: 'GET', path: `${R}/ws`, auth: 'room-read', query: roomWsQuery, ws: true, writes: false },
  {
    name: 'room history',
    method: 'GET',
    path: `${R}/history`,
    auth: 'room-history',
    query: roomHistoryQuery,
    writes: false,
  },
  { name: 'runs csv', method: 'GET', path: `${R}/history/runs.csv`, auth: 'room-history', writes: false },
  { name: 'actions csv', method: 'GET', path: `${R}/history/actions.csv`, auth: 'room-history', writes: false },
  // Rundown import (JSON {csv} here; text/csv has its own tests) and export.
  {
    name: 'rundown import',
    method: 'POST',
    path: `${R}/rundown/import`,
    auth: 'room-control',
    body: rundownImportBody,
    writes: true,
    bodyLimit: RUNDOWN_CSV_MAX_BYTES,
  },
  { name: 'rundown csv', method: 'GET', path: `${R}/rundown.csv`, auth: 'room-control', writes: false },
  // Event feed and the `now` reading (any link; the feed is a stream the probe closes at once).
  { name: 'room events', method: 'GET', path: `${R}/events`, auth: 'room-read', writes: false },
  { name: 'room now', method: 'GET', path: `${R}/now`, auth: 'room-read', query: nowQuery, writes: false },
  // Device control (:device names no device: 404 once admitted).
  {
    name: 'device rename',
    method: 'PUT',
    path: `${R}/devices/:device`,
    auth: 'room-control',
    body: deviceNameBody,
    writes: true,
  },
  {
    name: 'device identify',
    method: 'POST',
    path: `${R}/devices/:device/identify`,
    auth: 'room-control',
    writes: true,
  },
  { name: 'device reload', method: 'POST', path: `${R}/devices/:device/reload`, auth: 'room-control', writes: true },
  {
    name: 'device disconnect',
    method: 'POST',
    path: `${R}/devices/:device/disconnect`,
    auth: 'room-control',
    writes: true,
  },
  ...webhookRoutes('room', R, 'room-owner'),
];
