/** Viewer niceties: keep the screen awake while visible, and double-click/tap for full screen. */

type WakeLockSentinelLike = { release(): Promise<void> };
type WakeLockLike = { request(type: 'screen'): Promise<WakeLockSentinelLike> };

/** Holds a screen wake lock while the page is visible (where the browser allows it). Returns a stop function. */
export function keepAwake(): () => void {
  const wakeLock = (navigator as Navigator & { wakeLock?: WakeLockLike }).wakeLock;
  if (!wakeLock) return () => undefined;
  let lock: WakeLockSentinelLike | null = null;
  const acquire = () => {
    if (document.visibilityState !== 'visible') return;
    wakeLock.request('screen').then(
      (l) => (lock = l),
      () => (lock = null), // Refused (battery saver, insecure context): the screen may sleep.
    );
  };
  acquire();
  document.addEventListener('visibilitychange', acquire);
  return () => {
    document.removeEventListener('visibilitychange', acquire);
    lock?.release().catch(() => undefined);
  };
}

export function toggleFullscreen(): void {
  const el = document.documentElement;
  if (document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
  else el.requestFullscreen?.().catch(() => undefined);
}
