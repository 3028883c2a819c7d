/**
 * The attacker's side of the security specs: a small local HTTP server whose pages the specs write, reached
 * through Chromium's --host-resolver-rules as a same-site origin (evil.app.test) or a cross-site one
 * (other.test), while Keeptime itself is http://app.test:<port> (playwright.config.ts, project "security").
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Chromium ignores Cross-Origin-Opener-Policy on plain-http origins other than localhost, and says so as a console
 * error: noise of the test's http://app.test origin (production is https), not a CSP report.
 */
export const HTTP_COOP_NOTICE = /Cross-Origin-Opener-Policy header has been ignored/;

/** Keeptime's origin in the security project. */
export const APP = `http://app.test:${Number(process.env.E2E_PORT ?? 8791)}`;

export interface Attacker {
  /** Serves `html` at `path` and returns the page's URL on `host` (evil.app.test: same-site; other.test: cross-site). */
  page(host: 'evil.app.test' | 'other.test', path: string, html: string): string;
  close(): Promise<void>;
}

export async function startAttacker(): Promise<Attacker> {
  const pages = new Map<string, string>();
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/favicon.ico') {
      res.writeHead(204);
      res.end();
      return;
    }
    const html = pages.get(path);
    res.writeHead(html === undefined ? 404 : 200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    page(host, path, html) {
      pages.set(path, `<!doctype html><meta charset="utf-8"><title>attacker</title>${html}`);
      return `http://${host}:${port}${path}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Calls the API from inside `page` (which must be on Keeptime's origin), as the site does: Playwright's own
 * request client resolves names itself, so it cannot reach app.test. The cookie lands in the page's context.
 */
export async function inPage<T = unknown>(
  page: import('@playwright/test').Page,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  return page.evaluate(
    async ([m, p, b]) => {
      const res = await fetch(p as string, {
        method: m as string,
        headers: b === undefined ? { 'X-Keeptime': '1' } : { 'Content-Type': 'application/json' },
        body: b === undefined ? undefined : JSON.stringify(b),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    [method, path, body] as const,
  );
}

/** Signs a fresh member up from a Keeptime page (the cookie lands in its context); returns the email. */
export async function signUpInPage(page: import('@playwright/test').Page, tag: string): Promise<string> {
  if (!page.url().startsWith(APP)) await page.goto('/login/');
  const email = `${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@e2e.keeptime.test`;
  const r = await inPage(page, 'POST', '/api/auth/signup', { email, password: 'correct-horse-battery', name: tag });
  if (r.status !== 201) throw new Error(`signup: ${r.status} ${JSON.stringify(r.body)}`);
  // The site's "signed in" hint, as the login form sets it.
  await page.evaluate(() => localStorage.setItem('kt:signed-in', '1'));
  return email;
}
