/**
 * The module's configuration: where Keeptime is and how to reach one room. Either a controller link (the URL the
 * control panel's Share panel gives, or just its token), or a personal API token (`kt_…`) with a room id. Parsing is
 * pure and says what is wrong, so the module can show "bad config" with a reason.
 */
import type { SomeCompanionConfigField } from '@companion-module/base';

export interface ModuleConfig {
  [key: string]: string;
  /** Keeptime's address, e.g. https://keeptime.example.com (optional when the controller link is a full URL). */
  url: string;
  mode: 'link' | 'token';
  /** A controller link: `https://…/control/?room=<id>&token=<token>`, or the bare `<roomId>_<secret>` token. */
  link: string;
  /** The room id (20 hex characters) or a share token naming it; token mode only. */
  room: string;
}

/** Where and how to connect, once the configuration makes sense. */
export interface Target {
  /** Origin of the Keeptime server, no trailing slash. */
  base: string;
  roomId: string;
  auth: { kind: 'link'; token: string } | { kind: 'token'; token: string };
}

/** Secret fields (Companion keeps `secret-text` values apart from the config). */
export type ModuleSecrets = {
  /** A personal API token, `kt_…` ('' when unused). */
  apiToken: string;
};

const DEFAULT_CONFIG: ModuleConfig = { url: '', mode: 'link', link: '', room: '' };

const ROOM_ID = /^[0-9a-f]{20}$/;
const SHARE_TOKEN = /^([0-9a-f]{20})_[A-Za-z0-9.-]{24}$/;
const API_TOKEN = /^kt_[A-Za-z0-9_-]{16,200}$/;

/** Parses the configuration; an error message names the field to fix. */
export function parseConfig(
  c: Partial<ModuleConfig>,
  secrets: Partial<ModuleSecrets> = {},
): { ok: true; target: Target } | { ok: false; error: string } {
  const cfg = { ...DEFAULT_CONFIG, ...c, apiToken: String(secrets.apiToken ?? '') };
  let base = originOf(cfg.url.trim());
  if (cfg.url.trim() && !base) return { ok: false, error: 'Keeptime URL: expected http(s)://host[:port]' };
  if (cfg.mode === 'token') {
    const token = cfg.apiToken.trim();
    if (!API_TOKEN.test(token)) return { ok: false, error: 'API token: expected kt_… (Account → API tokens)' };
    const room = cfg.room.trim();
    const roomId = ROOM_ID.test(room) ? room : SHARE_TOKEN.exec(room)?.[1];
    if (!roomId) return { ok: false, error: 'Room: expected the room id (20 hex characters)' };
    if (!base) return { ok: false, error: 'Keeptime URL is required with an API token' };
    return { ok: true, target: { base, roomId, auth: { kind: 'token', token } } };
  }
  const link = cfg.link.trim();
  let token = link;
  if (/^https?:\/\//i.test(link)) {
    let u: URL;
    try {
      u = new URL(link);
    } catch {
      return { ok: false, error: 'Controller link: not a valid URL' };
    }
    token = u.searchParams.get('token') ?? u.pathname.split('/').filter(Boolean).at(-1) ?? '';
    base ||= u.origin;
  }
  const m = SHARE_TOKEN.exec(token);
  if (!m)
    return { ok: false, error: 'Controller link: paste the link from the Share panel (…/control/?room=…&token=…)' };
  if (!base) return { ok: false, error: 'Keeptime URL is required when the controller link is only a token' };
  return { ok: true, target: { base, roomId: m[1] as string, auth: { kind: 'link', token } } };
}

function originOf(url: string): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

export function configFields(): SomeCompanionConfigField[] {
  return [
    {
      type: 'static-text',
      id: 'info',
      width: 12,
      label: 'Keeptime',
      value:
        'Paste the controller link from the room\'s Share panel (it carries the server address), or choose "API token" and give a personal token and the room id.',
    },
    {
      type: 'textinput',
      id: 'url',
      label: 'Keeptime URL (optional with a full controller link)',
      width: 12,
      default: '',
    },
    {
      type: 'dropdown',
      id: 'mode',
      label: 'Sign in with',
      width: 6,
      default: 'link',
      disableAutoExpression: true,
      choices: [
        { id: 'link', label: 'Controller link' },
        { id: 'token', label: 'API token + room' },
      ],
    },
    {
      type: 'textinput',
      id: 'link',
      label: 'Controller link',
      width: 12,
      default: '',
      isVisibleExpression: "$(options:mode) == 'link'",
    },
    {
      type: 'secret-text',
      id: 'apiToken',
      label: 'API token (kt_…)',
      width: 8,
      default: '',
      isVisibleExpression: "$(options:mode) == 'token'",
    },
    {
      type: 'textinput',
      id: 'room',
      label: 'Room id',
      width: 4,
      default: '',
      isVisibleExpression: "$(options:mode) == 'token'",
    },
  ];
}
