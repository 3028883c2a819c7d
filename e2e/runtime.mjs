/**
 * What the e2e webServer started, for tests that reach past the browser (e.g.
 * Postgres): written to a file named by the Worker's port, so concurrent runs
 * on other ports never read each other's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * @typedef {object} E2eRuntime
 * @property {string} databaseUrl postgres:// URL (PGlite's socket server, or E2E_DATABASE_URL).
 * @property {string} relay `host:port` of the WebSocket→TCP relay the Neon driver goes through.
 */

/** @param {number | string} port */
export const runtimeFile = (port) => path.join(os.tmpdir(), `keeptime-e2e-${port}.json`);

/** @param {number | string} port @param {E2eRuntime} info */
export function writeRuntime(port, info) {
  fs.writeFileSync(runtimeFile(port), JSON.stringify(info), { mode: 0o600 });
}

/** @param {number | string} port @returns {E2eRuntime} */
export function readRuntime(port) {
  return JSON.parse(fs.readFileSync(runtimeFile(port), 'utf8'));
}

/** @param {number | string} port */
export function removeRuntime(port) {
  fs.rmSync(runtimeFile(port), { force: true });
}
