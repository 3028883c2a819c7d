/**
 * The scan screen's camera: a toggle, the live picture, and the repeat
 * guard's quiet time. Each new code goes to `onCode` with its frame time.
 * The camera (and the decoder) load only when the worker opens it, and the
 * camera is released when the panel closes or the page is hidden or left.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { DetectorInfo } from '../../lib/racks/barcode.ts';
import { Camera, type CameraHit, type CameraStatus } from '../../lib/racks/camera.ts';
import { QUIET_MAX_MS, parseQuiet } from '../../lib/racks/scan-guard.ts';

interface CameraPanelProps {
  disabled: boolean;
  onCode: (hit: CameraHit) => void;
}

const QUIET_KEY = 'kt-scan-quiet-ms';

const STATUS_TEXT: Record<CameraStatus, string> = {
  starting: 'Starting the camera…',
  on: 'Point the camera at a barcode',
  'paused-hidden': 'Camera paused while the screen is hidden',
  denied: 'Camera permission was refused: allow it in the browser settings, or type or use a scanner',
  unavailable: 'No camera here: type the code or use a scanner',
  off: '',
};

export function CameraPanel(props: CameraPanelProps) {
  const video = useRef<HTMLVideoElement>(null);
  const onCode = useRef(props.onCode);
  onCode.current = props.onCode;
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<CameraStatus>('off');
  const [info, setInfo] = useState<DetectorInfo | null>(null);
  const [quietMs, setQuietMs] = useState(() => parseQuiet(localStorage.getItem(QUIET_KEY)));

  useEffect(() => {
    const el = video.current;
    if (!open || props.disabled || !el) return;
    const cam = new Camera({
      video: el,
      quietMs,
      onScan: (hit) => onCode.current(hit),
      onStatus: (s, i) => {
        setStatus(s);
        setInfo(i);
      },
    });
    void cam.start();
    return () => cam.stop();
  }, [open, props.disabled, quietMs]);

  const saveQuiet = (raw: string) => {
    const ms = parseQuiet(String(Math.round(Number(raw) * 1000)));
    localStorage.setItem(QUIET_KEY, String(ms));
    setQuietMs(ms);
  };

  return (
    <div class="kt-camera" data-testid="camera" data-status={open ? status : 'off'} data-detector={info?.kind ?? ''}>
      <div class="kt-camera__bar">
        <button
          type="button"
          class={`kt-btn kt-btn--big${open ? '' : ' kt-btn--primary'}`}
          data-testid="camera-toggle"
          aria-pressed={open}
          disabled={props.disabled && !open}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Close camera' : 'Scan with camera'}
        </button>
        {open ? (
          <label class="kt-camera__quiet">
            <span>Same code again after</span>
            <input
              class="kt-input"
              data-testid="camera-quiet"
              type="number"
              inputMode="decimal"
              min={0}
              max={QUIET_MAX_MS / 1000}
              step={0.5}
              value={quietMs / 1000}
              onChange={(e) => saveQuiet(e.currentTarget.value)}
            />
            <span>s</span>
          </label>
        ) : null}
      </div>
      {open ? (
        <>
          <div class="kt-camera__view">
            {/* biome-ignore lint/a11y/useMediaCaption: a live camera picture has no speech to caption */}
            <video ref={video} class="kt-camera__video" data-testid="camera-video" muted playsInline />
            <span class="kt-camera__aim" aria-hidden="true" />
          </div>
          <p class="kt-muted kt-camera__status" data-testid="camera-status" role="status">
            {STATUS_TEXT[status]}
          </p>
        </>
      ) : null}
    </div>
  );
}
