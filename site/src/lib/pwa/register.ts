/**
 * Registers the service worker (/sw.js, built from ./sw.js) and applies its updates safely.
 *
 * A new version installs in the background and waits. It is switched on only at the start of a page load, and only
 * when this is the one Keeptime page open (each page holds a shared Web Lock, so the count is exact): the page asks
 * the waiting worker to take over and reloads once, before anyone works on it. Otherwise the update keeps waiting,
 * the page says so (where `notice` is on), and the browser switches it on once every Keeptime page is closed.
 * A running page is never switched over in the middle of a session.
 */
const PAGE_LOCK = 'kt-open-page';
const GUARD_KEY = 'kt:sw-takeover';

interface RegisterOptions {
  /** Show a status line when an update waits (off on the stage views). */
  notice?: boolean;
}

export function registerServiceWorker({ notice = true }: RegisterOptions = {}): void {
  if (!('serviceWorker' in navigator)) return;
  const held = holdPageLock();
  // After the page has loaded: the precache download never competes with the page's own first load.
  if (document.readyState === 'complete') void setUp(held, notice);
  else addEventListener('load', () => void setUp(held, notice), { once: true });
}

function setUp(held: Promise<boolean>, notice: boolean): Promise<void> {
  return navigator.serviceWorker
    .getRegistration('/')
    .then(async (known) => {
      // Registered already: look for a new version of the script it runs (the browser compares the bytes).
      if (known) {
        known.update().catch(() => undefined);
        return known;
      }
      return navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' });
    })
    .then(async (reg) => {
      document.documentElement.dataset.sw = 'registered';
      if (reg.waiting && navigator.serviceWorker.controller) await onWaiting(reg, held, notice, true);
      reg.addEventListener('updatefound', () => {
        const w = reg.installing;
        w?.addEventListener('statechange', () => {
          if (w.state === 'installed' && navigator.serviceWorker.controller) void onWaiting(reg, held, notice, false);
        });
      });
    })
    .catch(() => {
      // No worker (private mode, a blocked script): the site works as before, only not offline.
      document.documentElement.dataset.sw = 'unavailable';
    });
}

/** Holds a shared lock for the page's lifetime; resolves once it is held (false without Web Locks). */
function holdPageLock(): Promise<boolean> {
  if (!navigator.locks) return Promise.resolve(false);
  return new Promise((granted) => {
    void navigator.locks.request(PAGE_LOCK, { mode: 'shared' }, () => {
      granted(true);
      return new Promise<never>(() => {});
    });
  });
}

async function openPages(): Promise<number> {
  const snap = await navigator.locks.query();
  return (snap.held ?? []).filter((l) => l.name === PAGE_LOCK).length;
}

/**
 * A new version waits. `atLoad`: it was found waiting as this page loaded (nobody works on the page yet); one that
 * arrives while the page is in use is only announced.
 */
async function onWaiting(
  reg: ServiceWorkerRegistration,
  held: Promise<boolean>,
  notice: boolean,
  atLoad: boolean,
): Promise<void> {
  const waiting = reg.waiting;
  if (!waiting) return;
  document.documentElement.dataset.swUpdate = 'waiting';
  const alone = (await held) && (await openPages()) <= 1;
  // One take-over per tab per half-minute: never a reload loop if the activation fails.
  const last = Number(sessionStorage.getItem(GUARD_KEY) ?? 0);
  if (atLoad && alone && Date.now() - last > 30_000) {
    sessionStorage.setItem(GUARD_KEY, String(Date.now()));
    navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
    waiting.postMessage({ type: 'kt-activate' });
    return;
  }
  if (notice) announce();
}

function announce(): void {
  if (document.querySelector('[data-testid="sw-update"]')) return;
  const p = document.createElement('p');
  p.className = 'kt-update';
  p.setAttribute('role', 'status');
  p.dataset.testid = 'sw-update';
  p.textContent = 'An update is ready. It starts the next time you open Keeptime with no other Keeptime tab open.';
  (document.querySelector('footer') ?? document.body).append(p);
}
