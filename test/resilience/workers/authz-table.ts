/**
 * The authorisation matrix, written out from ../shared/API.md and the
 * README's extensions (never computed from the code under test): for every
 * route of routes.ts, the status each caller gets.
 *
 * Callers: anonymous; member (the member who owns the room, the live session
 * and the rack lease the paths name); another member; an admin (not the
 * owner); and, with no account, the room's viewer token, its controller token
 * and a controller token that was rotated out. Share tokens open only room
 * routes; elsewhere their holder is anonymous (401).
 *
 * Session reads name the member (`?userId=`): members read only their own,
 * admins anyone's. Rack lease commands carry the member's lease: anyone else
 * holds a wrong token (409 stale_fencing_token); admins end leases with
 * force-release. A rack session of someone else is 404 to members (its
 * existence is not revealed). No Postgres is configured in these tests, so
 * an admitted call to a CSV export gets 409 history_unavailable, and the ops
 * wake-up counters (COUNT_WAKEUPS unset) and an unknown dead letter are 404.
 * The rack extensions (README): conflicts are the live holder's or an
 * admin's; the warehouse layout is the admins'.
 */
export const CALLERS = [
  'anonymous',
  'member',
  'other member',
  'admin',
  'viewer token',
  'controller token',
  'rotated token',
] as const;
export type Caller = (typeof CALLERS)[number];

//                                 anon member other admin viewer control rotated
const PUBLIC = (s: number) => [s, s, s, s, s, s, s];
const ACCOUNT = (s: number) => [401, s, s, s, 401, 401, 401];
const ADMIN = (s: number) => [401, 403, 403, s, 401, 401, 401];
const OWN_OR_ADMIN = (s: number) => [401, s, 403, s, 401, 401, 401];
const ROOM_READ = (s: number) => [401, s, 403, 403, s, s, 403];
const ROOM_CONTROL = (s: number) => [401, s, 403, 403, 403, s, 403];
const ROOM_HISTORY = (s: number) => [401, s, 403, 403, 403, s, 403];
const ROOM_OWNER = (s: number) => [401, s, 403, 403, 403, 403, 403];
const LEASE_HOLDER = (s: number) => [401, s, 409, 409, 401, 401, 401];
const RACK_SESSION_READ = (s: number) => [401, s, 404, s, 401, 401, 401];

/** The eight webhook routes of a scope: list 200, create 201, the rest name no webhook (404) once admitted. */
function webhookRows(scope: string, who: (s: number) => number[]): Record<string, number[]> {
  return {
    [`${scope} webhooks`]: who(200),
    [`${scope} webhook create`]: who(201),
    [`${scope} webhook update`]: who(404),
    [`${scope} webhook delete`]: who(404),
    [`${scope} webhook rotate`]: who(404),
    [`${scope} webhook deliveries`]: who(404),
    [`${scope} webhook redeliver`]: who(404),
    [`${scope} webhook test`]: who(404),
  };
}

export const EXPECTED: Record<string, number[]> = {
  // Accounts
  signup: PUBLIC(201),
  login: PUBLIC(200),
  logout: PUBLIC(204),
  // Every admitted caller gets fresh accounts (the call revokes its tokens); the password body carries their own.
  'logout all': ACCOUNT(204),
  'password change': ACCOUNT(204),
  // No ADMIN_BOOTSTRAP_SECRET in the tests: every account is refused (403), anonymous callers first (401).
  'bootstrap admin': ACCOUNT(403),
  // :email names no account.
  'set role': ADMIN(404),
  me: ACCOUNT(200),
  // API tokens: each account manages its own; :apiToken names none (404).
  'tokens list': ACCOUNT(200),
  'token create': ACCOUNT(201),
  'token revoke': ACCOUNT(404),
  // Health and ops
  health: PUBLIC(200),
  'health deep': PUBLIC(200),
  'ops stats': ADMIN(200),
  'ops dlq': ADMIN(200),
  'ops dlq replay': ADMIN(404),
  'ops outbox kick': ADMIN(200),
  'ops notifications': ADMIN(200),
  'ops wakeups': ADMIN(404),
  'ops ws': ADMIN(101),
  // Rooms
  'create room': ACCOUNT(201),
  'list rooms': ACCOUNT(200),
  'room snapshot': ROOM_READ(200),
  'update room': ROOM_OWNER(200),
  'delete room': ROOM_OWNER(204),
  'rotate link': ROOM_OWNER(200),
  'create timer': ROOM_CONTROL(201),
  'update timer': ROOM_CONTROL(200),
  'delete timer': ROOM_CONTROL(200),
  'start timer': ROOM_CONTROL(200),
  'pause timer': ROOM_CONTROL(200),
  'resume timer': ROOM_CONTROL(200),
  'reset timer': ROOM_CONTROL(200),
  'select timer': ROOM_CONTROL(200),
  'adjust timer': ROOM_CONTROL(200),
  next: ROOM_CONTROL(200),
  previous: ROOM_CONTROL(200),
  reorder: ROOM_CONTROL(200),
  'set message': ROOM_CONTROL(200),
  'clear message': ROOM_CONTROL(200),
  'room ws': ROOM_READ(101),
  'room history': ROOM_HISTORY(200),
  'runs csv': ROOM_HISTORY(409),
  'actions csv': ROOM_HISTORY(409),
  // An admitted import appends one timer (one command); the export is the controllers' too (it has crew notes).
  'rundown import': ROOM_CONTROL(200),
  'rundown csv': ROOM_CONTROL(200),
  'room events': ROOM_READ(200),
  'room now': ROOM_READ(200),
  'device rename': ROOM_CONTROL(404),
  'device identify': ROOM_CONTROL(404),
  'device reload': ROOM_CONTROL(404),
  'device disconnect': ROOM_CONTROL(404),
  // Webhooks: a room's are its owner's (by account), a user's sessions' their own, a floor's the admins'.
  ...webhookRows('room', ROOM_OWNER),
  ...webhookRows('session', ACCOUNT),
  ...webhookRows('floor', ADMIN),
  // Live sessions (reads name the member)
  'session start': ACCOUNT(201),
  'session pause': ACCOUNT(200),
  'session resume': ACCOUNT(200),
  'session stop': ACCOUNT(200),
  'session update': ACCOUNT(200),
  'session activity': ACCOUNT(200),
  // No "Still working?" prompt is open: an admitted answer meets 409 not_idle (or no_active_session).
  'session idle answer': ACCOUNT(409),
  'session settings': ACCOUNT(200),
  'session settings update': ACCOUNT(200),
  'session current': OWN_OR_ADMIN(200),
  'session ws': ACCOUNT(101),
  'sessions active': ADMIN(200),
  'session history': OWN_OR_ADMIN(200),
  'session stats': OWN_OR_ADMIN(200),
  'session csv': OWN_OR_ADMIN(200),
  // Entries, projects and tasks are the caller's own: the ids the paths name are nobody's (404 once admitted).
  'session entry create': ACCOUNT(201),
  'session entry update': ACCOUNT(404),
  'session entry delete': ACCOUNT(404),
  'session entry restore': ACCOUNT(404),
  'session entry trail': ACCOUNT(404),
  'session break rule': ACCOUNT(200),
  'session break rule update': ACCOUNT(200),
  'session report': ACCOUNT(200),
  projects: ACCOUNT(200),
  'project create': ACCOUNT(201),
  'project update': ACCOUNT(404),
  'project delete': ACCOUNT(404),
  'project tasks': ACCOUNT(404),
  'task create': ACCOUNT(404),
  'task update': ACCOUNT(404),
  'task delete': ACCOUNT(404),
  // Racks (the member holds the lease the paths and bodies name)
  'rack floors': ACCOUNT(200),
  'racks available': ACCOUNT(200),
  'racks user active': ACCOUNT(200),
  'rack claim': ACCOUNT(200),
  'rack release': LEASE_HOLDER(200),
  'rack pause': LEASE_HOLDER(200),
  'rack resume': LEASE_HOLDER(200),
  'rack force release': ADMIN(200),
  'rack break': ADMIN(200),
  'rack handoff': ADMIN(200),
  'rack status': ACCOUNT(200),
  'rack ws': ACCOUNT(101),
  'floor ws': ACCOUNT(101),
  'rack sessions active': ACCOUNT(200),
  'rack sessions history': ACCOUNT(200),
  'rack session': RACK_SESSION_READ(200),
  'rack session stats': RACK_SESSION_READ(200),
  'rack session records': RACK_SESSION_READ(200),
  'rack heartbeat': LEASE_HOLDER(200),
  'rack complete': LEASE_HOLDER(200),
  'sync batch': LEASE_HOLDER(200),
  // Rack conflicts: the live holder or an admin (an unknown conflict id is 404 once admitted)
  'rack conflicts': OWN_OR_ADMIN(200),
  'rack conflict resolve': OWN_OR_ADMIN(404),
  'floor conflicts': ADMIN(200),
  // Warehouse layout: admins
  warehouse: ADMIN(200),
  'warehouse create floor': ADMIN(201),
  'warehouse rename floor': ADMIN(200),
  'warehouse add rack': ADMIN(201),
  'warehouse set expected': ADMIN(200),
  'warehouse remove rack': ADMIN(200),
  // Warehouse grade (issue 15): admins; the audit the paths name was never completed (404 once admitted).
  'warehouse floor review': ADMIN(200),
  'warehouse rack blind': ADMIN(200),
  'warehouse import': ADMIN(200),
  'warehouse export': ADMIN(200),
  reviews: ADMIN(200),
  review: ADMIN(404),
  'review decide': ADMIN(404),
};
