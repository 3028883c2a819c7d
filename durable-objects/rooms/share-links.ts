/**
 * Share links: opaque, unguessable, rotatable tokens for the viewer and
 * controller roles. A token is `<roomId>_<secret>`: the room id routes it to
 * the right object, the 144-bit secret proves it. Viewer and controller
 * secrets are independent, so one never reveals the other.
 */
export type LinkRole = 'viewer' | 'controller';
export interface Link {
  secret: string;
  gen: number;
}
export type Links = Record<LinkRole, Link>;

export function randomSecret(bytes = 18): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...buf))
    .replace(/\+/g, '-')
    .replace(/\//g, '.')
    .replace(/=+$/, '');
}

export function newLinks(): Links {
  return { viewer: { secret: randomSecret(), gen: 1 }, controller: { secret: randomSecret(), gen: 1 } };
}

export const tokenFor = (roomId: string, link: Link): string => `${roomId}_${link.secret}`;

/** The room id a share token names, or null if it is not shaped like one. */
export function roomIdOfToken(token: string): string | null {
  const m = /^([0-9a-f]{20})_([A-Za-z0-9.-]{16,64})$/.exec(token);
  return m ? (m[1] as string) : null;
}

const encoder = new TextEncoder();

/** Constant-time string equality. */
function safeEqual(a: string, b: string): boolean {
  const ab = encoder.encode(a);
  const bb = encoder.encode(b);
  if (ab.byteLength !== bb.byteLength) {
    // Still spend the time of a comparison, so length is not a fast path.
    crypto.subtle.timingSafeEqual(ab, ab);
    return false;
  }
  return crypto.subtle.timingSafeEqual(ab, bb);
}

/** Which role a presented token grants in this room, if any. */
export function roleOfToken(
  roomId: string,
  links: Links,
  token: string | null,
): { role: LinkRole; gen: number } | null {
  if (!token) return null;
  const secret = token.startsWith(`${roomId}_`) ? token.slice(roomId.length + 1) : '';
  if (!secret) return null;
  // Check both without short-circuit, so timing does not reveal which role matched.
  const isController = safeEqual(secret, links.controller.secret);
  const isViewer = safeEqual(secret, links.viewer.secret);
  if (isController) return { role: 'controller', gen: links.controller.gen };
  if (isViewer) return { role: 'viewer', gen: links.viewer.gen };
  return null;
}
