/**
 * A barcode detector for the scan screen: the browser's own `BarcodeDetector`
 * where it reads every format we need, else the zxing-wasm polyfill
 * (`barcode-detector`). The polyfill and its .wasm are loaded only when the
 * camera is first opened, and the .wasm comes from the site's own assets —
 * never from the CDN the package defaults to.
 */

/** The formats a warehouse label may carry. */
export const FORMATS = ['ean_13', 'ean_8', 'upc_a', 'code_128', 'code_39', 'qr_code', 'data_matrix'] as const;
export type Format = (typeof FORMATS)[number];

export interface Detected {
  rawValue: string;
  format: string;
}

export interface Detector {
  detect(source: CanvasImageSource): Promise<Detected[]>;
}

/** How the detector was obtained, for the screen and the report. */
export interface DetectorInfo {
  kind: 'native' | 'polyfill';
  /** ms from the request to a ready detector (polyfill: script + .wasm fetched and compiled). */
  loadMs: number;
  /** The .wasm's URL (polyfill only). */
  wasmUrl: string | null;
}

interface NativeCtor {
  new (o: { formats: string[] }): Detector;
  getSupportedFormats(): Promise<string[]>;
}

/**
 * A UPC-A is an EAN-13 whose first digit is 0; zxing may report it either
 * way, so a leading-zero EAN-13 is given as the 12-digit UPC-A printed on it.
 */
export function normalize(d: Detected): Detected {
  if (d.format === 'ean_13' && /^0\d{12}$/.test(d.rawValue)) return { rawValue: d.rawValue.slice(1), format: 'upc_a' };
  return d;
}

let loading: Promise<{ detector: Detector; info: DetectorInfo }> | null = null;

async function native(): Promise<Detector | null> {
  const Ctor = (globalThis as { BarcodeDetector?: NativeCtor }).BarcodeDetector;
  if (!Ctor) return null;
  try {
    const supported = await Ctor.getSupportedFormats();
    if (!FORMATS.every((f) => supported.includes(f))) return null;
    return new Ctor({ formats: [...FORMATS] });
  } catch {
    return null;
  }
}

async function polyfill(): Promise<{ detector: Detector; wasmUrl: string }> {
  const [{ BarcodeDetector, prepareZXingModule }, { default: wasmUrl }] = await Promise.all([
    import('barcode-detector/ponyfill'),
    import('zxing-wasm/reader/zxing_reader.wasm?url'),
  ]);
  // Our own copy of the .wasm, compiled now so the first frame is not the one that waits for it.
  await prepareZXingModule({
    overrides: { locateFile: (path: string, prefix: string) => (path.endsWith('.wasm') ? wasmUrl : prefix + path) },
    fireImmediately: true,
  });
  return { detector: new BarcodeDetector({ formats: [...FORMATS] }), wasmUrl };
}

/** The detector, loaded once per page (the first call starts the load). */
export function loadDetector(): Promise<{ detector: Detector; info: DetectorInfo }> {
  loading ??= (async () => {
    const t0 = performance.now();
    const own = await native();
    if (own) return { detector: own, info: { kind: 'native', loadMs: performance.now() - t0, wasmUrl: null } };
    const p = await polyfill();
    performance.measure('kt-barcode-polyfill-load', { start: t0, end: performance.now() });
    return { detector: p.detector, info: { kind: 'polyfill', loadMs: performance.now() - t0, wasmUrl: p.wasmUrl } };
  })();
  // A failed load (offline before it was cached) may be tried again.
  loading.catch(() => {
    loading = null;
  });
  return loading;
}
