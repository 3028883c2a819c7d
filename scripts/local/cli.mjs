/** Small helpers shared by the local service scripts' command lines. */
import net from 'node:net';
import { pathToFileURL } from 'node:url';

/**
 * True when the module at `moduleUrl` is the script Node was started with.
 * @param {string} moduleUrl `import.meta.url` of the caller.
 */
export function isMain(moduleUrl) {
  const script = process.argv[1];
  return script !== undefined && moduleUrl === pathToFileURL(script).href;
}

/**
 * Parses `host:port` (or a bare port).
 * @param {string} value
 * @param {number} defaultPort
 * @returns {{ host: string, port: number }}
 */
export function parseHostPort(value, defaultPort) {
  const m = /^(?:(.+):)?(\d+)$/.exec(value.trim());
  if (m) return { host: m[1] ?? '127.0.0.1', port: Number(m[2]) };
  return { host: value.trim(), port: defaultPort };
}

/**
 * Host and port of a postgres:// URL.
 * @param {string} databaseUrl
 * @returns {{ host: string, port: number }}
 */
export function postgresTarget(databaseUrl) {
  const url = new URL(databaseUrl);
  return { host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1', port: Number(url.port || 5432) };
}

/**
 * True for Neon's own endpoints, which speak WebSocket themselves. Any other
 * Postgres (local, CI service, PGlite) needs the relay in front of it.
 * @param {string} host
 */
export function isNeonHost(host) {
  return /(^|\.)neon\.tech$/i.test(host);
}

/**
 * True if a TCP connection to host:port opens within `timeoutMs`.
 * @param {string} host @param {number} port @param {number} [timeoutMs]
 * @returns {Promise<boolean>}
 */
export function tcpReachable(host, port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (/** @type {boolean} */ ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Resolves on the first SIGINT or SIGTERM. */
export function waitForSignal() {
  return new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}
