/** My rooms: list, create, rename, delete, rotate links. */
import { apiClient, call } from '../net/client.ts';
import { newId } from '../net/id.ts';
import { arrayOf, isNum, isRec, isStr } from '../net/guards.ts';
import { type Links, isLinks, isRoomInfo } from './messages.ts';
import type { RoomInfo } from '../../../../core/rooms/transition.ts';

export interface RoomSummary {
  id: string;
  name: string;
  createdAt: number;
}

const isSummary = (v: unknown): v is RoomSummary => isRec(v) && isStr(v.id) && isStr(v.name) && isNum(v.createdAt);
const isList = (v: unknown): v is { rooms: RoomSummary[] } => isRec(v) && arrayOf(isSummary)(v.rooms);
const isCreated = (v: unknown): v is { room: RoomInfo; links: Links } =>
  isRec(v) && isRoomInfo(v.room) && isLinks(v.links);
const hasLinks = (v: unknown): v is { links: Links } => isRec(v) && isLinks(v.links);
const anything = (_v: unknown): _v is unknown => true;

const rooms = apiClient('rooms');

export const listRooms = async (): Promise<RoomSummary[]> => (await call(rooms.rooms, '$get', undefined, isList)).rooms;
export const createRoom = (name: string) => call(rooms.rooms, '$post', undefined, isCreated, { body: { name } });
export const updateRoom = (
  id: string,
  patch: {
    name?: string;
    warnMs?: number;
    dangerMs?: number;
    chimes?: RoomInfo['chimes'];
    plannedStart?: number | null;
    timeZone?: string;
  },
) => call(rooms.rooms[':id'], '$put', { param: { id } }, anything, { body: patch });
export const renameRoom = (id: string, name: string) => updateRoom(id, { name });
export const deleteRoom = (id: string) => call(rooms.rooms[':id'], '$delete', { param: { id } }, anything);
export const rotateLink = async (id: string, role: 'viewer' | 'controller'): Promise<Links> =>
  (
    await call(rooms.rooms[':id'].links.rotate, '$post', { param: { id } }, hasLinks, {
      body: { role },
      idempotencyKey: newId(),
    })
  ).links;

/** Where people open a link of each kind. */
export const viewerUrl = (token: string) => `${location.origin}/r/${token}`;
export const controllerUrl = (roomId: string, token: string) =>
  `${location.origin}/control/?room=${roomId}&token=${encodeURIComponent(token)}`;
export const controlPath = (roomId: string) => `/control/?room=${roomId}`;
