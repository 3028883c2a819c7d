/**
 * Device control in a timer room, for the owner and controllers: rename a known device, and identify, reload or
 * disconnect its screens. Same access as the room's control routes (owner auth, or a controller token in ?token= or
 * X-Room-Token; viewer links get 403), and the same optional Idempotency-Key.
 */
import { type Context, Hono } from 'hono';
import { deviceIdParam, deviceNameBody } from '../../core/protocol.ts';
import type { DeviceCommandInput } from '../../durable-objects/rooms/devices.ts';
import type { AppEnv } from '../app-types.ts';
import { unwrap } from '../lib/answer.ts';
import { check, readJson } from '../middleware/validate.ts';
import { idempotencyKey, roomTarget } from './rooms.ts';

async function runDevice(c: Context<AppEnv>, command: DeviceCommandInput) {
  const { stub, access } = roomTarget(c, c.req.param('id') as string);
  const device = unwrap(await stub.deviceCommand(access, command, idempotencyKey(c)));
  return c.json({ ok: true, device });
}

const action = (type: 'identify-device' | 'reload-device' | 'disconnect-device') => (c: Context<AppEnv>) => {
  const deviceId = check(deviceIdParam, c.req.param('deviceId'));
  return runDevice(c, { type, deviceId });
};

export const roomDeviceRoutes = new Hono<AppEnv>()
  .put('/rooms/:id/devices/:deviceId', async (c) => {
    const deviceId = check(deviceIdParam, c.req.param('deviceId'));
    const { name } = await readJson(c, deviceNameBody);
    return runDevice(c, { type: 'rename-device', deviceId, name });
  })
  .post('/rooms/:id/devices/:deviceId/identify', action('identify-device'))
  .post('/rooms/:id/devices/:deviceId/reload', action('reload-device'))
  .post('/rooms/:id/devices/:deviceId/disconnect', action('disconnect-device'));
