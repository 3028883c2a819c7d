/**
 * The scan screen's camera: opens the back camera into a <video>, decodes
 * frames with the barcode detector, passes each new code (after the repeat
 * guard) to `onScan` with the frame's time, and releases the camera on stop,
 * when the page is hidden, and on pagehide.
 */
import { type DetectorInfo, loadDetector, normalize } from './barcode.ts';
import { scanGuard } from './scan-guard.ts';

export type CameraStatus = 'starting' | 'on' | 'paused-hidden' | 'denied' | 'unavailable' | 'off';

export interface CameraHit {
  code: string;
  format: string;
  /** performance.now() when the decoded frame was presented. */
  frameAt: number;
}

interface CameraOptions {
  video: HTMLVideoElement;
  quietMs: number;
  onScan: (hit: CameraHit) => void;
  onStatus: (s: CameraStatus, info: DetectorInfo | null) => void;
}

/** Between decodes when a frame callback is not available, ms. */
const POLL_MS = 80;

type FrameVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (cb: (now: number, meta: { captureTime?: number }) => void) => number;
  cancelVideoFrameCallback?: (id: number) => void;
};

export class Camera {
  private stream: MediaStream | null = null;
  private running = false;
  private busy = false;
  private frameId: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private info: DetectorInfo | null = null;
  private readonly guard;
  private readonly video: FrameVideo;

  constructor(private readonly o: CameraOptions) {
    this.guard = scanGuard(o.quietMs);
    this.video = o.video;
  }

  /** Opens the camera (and loads the detector the first time). */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    addEventListener('visibilitychange', this.onVisibility);
    addEventListener('pagehide', this.onPageHide);
    await this.open();
  }

  /** Releases the camera and stops decoding. */
  stop(): void {
    this.running = false;
    removeEventListener('visibilitychange', this.onVisibility);
    removeEventListener('pagehide', this.onPageHide);
    this.release();
    this.o.onStatus('off', this.info);
  }

  private async open(): Promise<void> {
    this.o.onStatus('starting', this.info);
    if (!navigator.mediaDevices?.getUserMedia) return this.o.onStatus('unavailable', this.info);
    let stream: MediaStream;
    try {
      const [s, d] = await Promise.all([
        navigator.mediaDevices.getUserMedia({
          video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
          audio: false,
        }),
        loadDetector(),
      ]);
      stream = s;
      this.info = d.info;
    } catch (e) {
      const denied = e instanceof DOMException && (e.name === 'NotAllowedError' || e.name === 'SecurityError');
      this.running = false;
      return this.o.onStatus(denied ? 'denied' : 'unavailable', this.info);
    }
    // Closed (or hidden) while the permission prompt was up: give the camera straight back.
    if (!this.running || document.visibilityState === 'hidden') {
      for (const t of stream.getTracks()) t.stop();
      if (this.running) this.o.onStatus('paused-hidden', this.info);
      return;
    }
    this.stream = stream;
    this.video.srcObject = stream;
    this.video.muted = true;
    this.video.playsInline = true;
    await this.video.play().catch(() => undefined);
    this.o.onStatus('on', this.info);
    this.next();
  }

  private release(): void {
    if (this.frameId !== null) this.video.cancelVideoFrameCallback?.(this.frameId);
    if (this.timer) clearTimeout(this.timer);
    this.frameId = null;
    this.timer = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    this.video.srcObject = null;
    this.guard.reset();
  }

  private next(): void {
    if (!this.stream) return;
    if (this.video.requestVideoFrameCallback) this.frameId = this.video.requestVideoFrameCallback(this.onFrame);
    else this.timer = setTimeout(() => this.onFrame(performance.now()), POLL_MS);
  }

  /**
   * One decode at a time: frames that arrive while one is decoding are skipped.
   * The frame's time is its capture time where the camera reports one, else when it was presented.
   */
  private onFrame = (now: number, meta?: { captureTime?: number }): void => {
    const frameAt = meta?.captureTime !== undefined && meta.captureTime <= now ? meta.captureTime : now;
    this.frameId = null;
    this.timer = null;
    if (!this.stream || this.busy) return this.next();
    this.busy = true;
    void loadDetector()
      .then(({ detector }) => detector.detect(this.video))
      .then((found) => {
        for (const raw of found) {
          const b = normalize(raw);
          const code = b.rawValue.trim();
          if (code && this.guard.accept(code, performance.now())) this.o.onScan({ code, format: b.format, frameAt });
        }
      })
      .catch(() => undefined)
      .finally(() => {
        this.busy = false;
        this.next();
      });
  };

  private onVisibility = (): void => {
    if (!this.running) return;
    if (document.visibilityState === 'hidden') {
      this.release();
      this.o.onStatus('paused-hidden', this.info);
    } else if (!this.stream) void this.open();
  };

  private onPageHide = (): void => this.release();
}

/** A short beep (WebAudio) and a vibration, where supported. */
let audio: AudioContext | null = null;
export function scanFeedback(): void {
  try {
    audio ??= new AudioContext();
    const osc = audio.createOscillator();
    const gain = audio.createGain();
    osc.frequency.value = 1760;
    gain.gain.value = 0.15;
    osc.connect(gain).connect(audio.destination);
    const t = audio.currentTime;
    gain.gain.setValueAtTime(0.15, t);
    gain.gain.exponentialRampToValueAtTime(0.001, t + 0.09);
    osc.start(t);
    osc.stop(t + 0.1);
  } catch {
    // No audio output: the vibration and the list still show the scan.
  }
  navigator.vibrate?.(40);
}
