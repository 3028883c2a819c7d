import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DISABLE_AFTER, WEBHOOK_EVENTS, refuseWebhookUrl, retryDelay, webhookBody } from './webhooks.ts';

const prod = { allowLoopback: false };
const dev = { allowLoopback: true };

describe('webhook URL policy (SSRF)', () => {
  it('production takes public https URLs only', () => {
    for (const ok of [
      'https://example.com/hooks',
      'https://hooks.slack.com/services/x',
      'https://8.8.8.8/x',
      'https://[2606:4700::1111]/x',
    ])
      expect(refuseWebhookUrl(ok, prod), ok).toBeNull();
    for (const bad of [
      'http://example.com/hooks',
      'ftp://example.com/x',
      'https://localhost/x',
      'https://api.localhost/x',
      'https://127.0.0.1/x',
      'https://127.1/x',
      'https://2130706433/x',
      'https://0x7f000001/x',
      'https://[::1]/x',
      'https://10.1.2.3/x',
      'https://172.16.0.1/x',
      'https://192.168.1.10/x',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/x',
      'https://0.0.0.0/x',
      'https://224.0.0.1/x',
      'https://[fd12:3456::1]/x',
      'https://[fe80::1]/x',
      'https://[::ffff:10.0.0.1]/x',
      'https://[::ffff:127.0.0.1]/x',
      'https://printer/x',
      'https://nas.local/x',
      'https://db.internal/x',
      'https://user:pass@example.com/x',
      'not a url',
    ])
      expect(refuseWebhookUrl(bad, prod), bad).not.toBeNull();
  });

  it('development may allow http on loopback only, and still refuses private networks', () => {
    expect(refuseWebhookUrl('http://127.0.0.1:8787/hook', dev)).toBeNull();
    expect(refuseWebhookUrl('http://localhost:3000/hook', dev)).toBeNull();
    expect(refuseWebhookUrl('http://example.com/hook', dev)).toMatch(/https/);
    expect(refuseWebhookUrl('https://10.0.0.1/hook', dev)).toMatch(/private/);
  });

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.webUrl()), fc.boolean(), (url, allowLoopback) => {
        const r = refuseWebhookUrl(url, { allowLoopback });
        expect(r === null || typeof r === 'string').toBe(true);
      }),
    );
  });
});

describe('retry schedule', () => {
  it('backs off from seconds to hours, with bounded jitter, and is long enough to span a working day', () => {
    expect(retryDelay(1, 0.5)).toBe(10_000);
    expect(retryDelay(2, 0.5)).toBe(30_000);
    for (let n = 1; n < 12; n++) expect(retryDelay(n + 1, 0.5)).toBeGreaterThanOrEqual(retryDelay(n, 0.5));
    expect(retryDelay(1, 0)).toBe(8_000);
    expect(retryDelay(1, 1)).toBe(12_000);
    let total = 0;
    for (let n = 1; n < DISABLE_AFTER; n++) total += retryDelay(n, 0);
    expect(total).toBeGreaterThan(8 * 3_600_000);
  });
});

describe('registration bodies', () => {
  it('accept each scope’s events, deduplicated, and refuse others with the list', () => {
    const rooms = webhookBody('rooms').create;
    expect(rooms.parse({ url: 'https://x.example', events: ['timer.started', 'timer.started'] }).events).toEqual([
      'timer.started',
    ]);
    const bad = rooms.safeParse({ url: 'https://x.example', events: ['session.started'] });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues)).toContain(WEBHOOK_EVENTS.rooms.join(', '));
    expect(webhookBody('floors').create.safeParse({ url: 'https://x.example', events: [] }).success).toBe(false);
  });
});
