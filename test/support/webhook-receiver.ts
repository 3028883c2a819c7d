/**
 * A local webhook receiver for the tests (a real HTTP server on loopback, started by vitest's globalSetup and
 * by the e2e server). `POST /hook/<key>` records the request; `?fail=N` answers the first N requests for that key
 * with `?status=` (default 500). `GET /received/<key>` lists what arrived, oldest first.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: Record<string, string>;
  body: string;
  at: number;
  answered: number;
}

export async function startReceiver(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const log = new Map<string, Received[]>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const [, kind, key] = url.pathname.split('/');
    if (req.method === 'GET' && kind === 'received' && key) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(log.get(key) ?? []));
      return;
    }
    if (req.method !== 'POST' || kind !== 'hook' || !key) {
      res.writeHead(404).end('not found');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = log.get(key) ?? [];
      const fail = Number(url.searchParams.get('fail') ?? 0);
      const status = seen.length < fail ? Number(url.searchParams.get('status') ?? 500) : 200;
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
      seen.push({ headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now(), answered: status });
      log.set(key, seen.slice(-500));
      res.writeHead(status, { 'Content-Type': 'text/plain' });
      res.end(status === 200 ? 'ok, received' : 'receiver says no');
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
