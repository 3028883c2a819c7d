/**
 * Projects and their tasks, kept in the user's own UserSession object and
 * mirrored to Postgres (`projects`, `tasks`). Members change their own;
 * admins may read anyone's with `?userId=`. A project or task of another
 * user is simply not found in the caller's object (404).
 */
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  createProjectBody,
  createTaskBody,
  updateProjectBody,
  updateTaskBody,
} from '../../core/sessions/entry-protocol.ts';
import { emptyBody } from '../../core/protocol.ts';
import { readEntries, writeEntries } from '../lib/entry-calls.ts';
import type { AppEnv } from '../app-types.ts';
import { unwrap } from '../lib/answer.ts';
import { readableUser, tokenParam, userIdParam } from '../lib/readable-user.ts';
import { requireUser } from '../middleware/auth.ts';
import { readJson, readQuery } from '../middleware/validate.ts';
import { check } from '../middleware/validate.ts';

const ownerQuery = z.strictObject({ userId: userIdParam.optional(), token: tokenParam });
const idParam = z.string().min(1).max(64);

const own = (c: Context<AppEnv>) => ({ userId: requireUser(c).id });
const param = (c: Context<AppEnv>) => check(idParam, c.req.param('id'));

export const projectRoutes = new Hono<AppEnv>()
  .get('/projects', async (c) => {
    const userId = readableUser(c, readQuery(c, ownerQuery).userId);
    const { projects } = await readEntries(c.env, userId, 'projects', {});
    return c.json({ userId, projects });
  })
  .post('/projects', async (c) => {
    const { userId } = own(c);
    const body = await readJson(c, createProjectBody);
    return c.json(unwrap(await writeEntries(c.env, userId, 'createProject', body)), 201);
  })
  .put('/projects/:id', async (c) => {
    const { userId } = own(c);
    const body = await readJson(c, updateProjectBody);
    return c.json(unwrap(await writeEntries(c.env, userId, 'updateProject', { id: param(c), body })));
  })
  .delete('/projects/:id', async (c) => {
    const { userId } = own(c);
    await readJson(c, emptyBody);
    unwrap(await writeEntries(c.env, userId, 'deleteProject', { id: param(c) }));
    return c.body(null, 204);
  })
  .get('/projects/:id/tasks', async (c) => {
    const userId = readableUser(c, readQuery(c, ownerQuery).userId);
    return c.json(unwrap(await readEntries(c.env, userId, 'tasks', { projectId: param(c) })));
  })
  .post('/projects/:id/tasks', async (c) => {
    const { userId } = own(c);
    const body = await readJson(c, createTaskBody);
    return c.json(unwrap(await writeEntries(c.env, userId, 'createTask', { projectId: param(c), body })), 201);
  })
  .put('/tasks/:id', async (c) => {
    const { userId } = own(c);
    const body = await readJson(c, updateTaskBody);
    return c.json(unwrap(await writeEntries(c.env, userId, 'updateTask', { id: param(c), body })));
  })
  .delete('/tasks/:id', async (c) => {
    const { userId } = own(c);
    await readJson(c, emptyBody);
    unwrap(await writeEntries(c.env, userId, 'deleteTask', { id: param(c) }));
    return c.body(null, 204);
  });
