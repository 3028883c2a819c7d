/**
 * Password hashing with PBKDF2-SHA256 through WebCrypto, a per-user salt and
 * the highest iteration count Workers allow (100,000). Comparison is constant-time.
 */
const PBKDF2_ITERATIONS = 100_000;

export interface PasswordHash {
  algo: 'pbkdf2-sha256';
  iterations: number;
  salt: string;
  hash: string;
}

const b64 = (buf: ArrayBuffer | Uint8Array) => btoa(String.fromCharCode(...new Uint8Array(buf)));
const unb64 = (s: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

async function derive(password: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<ArrayBuffer> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  return crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, 256);
}

export async function hashPassword(password: string): Promise<PasswordHash> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, PBKDF2_ITERATIONS);
  return { algo: 'pbkdf2-sha256', iterations: PBKDF2_ITERATIONS, salt: b64(salt), hash: b64(hash) };
}

export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const actual = new Uint8Array(await derive(password, unb64(stored.salt), stored.iterations));
  const expected = unb64(stored.hash);
  if (actual.byteLength !== expected.byteLength) return false;
  return crypto.subtle.timingSafeEqual(actual, expected);
}

/** Spends the same time as a real verification, so unknown emails answer like wrong passwords. */
export async function burnVerification(password: string): Promise<void> {
  await derive(password, new Uint8Array(16), PBKDF2_ITERATIONS);
}
