// Order codes in: the camera (BarcodeDetector, or ZXing loaded only where it is missing) and
// USB/Bluetooth scanners, which type the code and Enter wherever the focus happens to be.

const NATIVE_FORMATS = ['code_128', 'qr_code', 'ean_13', 'ean_8', 'upc_a', 'upc_e', 'code_39', 'itf', 'data_matrix'];
const REQUIRED = ['code_128', 'qr_code', 'ean_13'];

let zxing;
function loadZxing() {
  zxing ??= new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = new URL('vendor/zxing.min.js', import.meta.url).href;
    script.onload = () => (globalThis.ZXing ? resolve(globalThis.ZXing) : reject(new Error('ZXing did not load')));
    script.onerror = () => {
      zxing = undefined;
      reject(new Error('could not load the barcode reader'));
    };
    document.head.append(script);
  });
  return zxing;
}

async function nativeDetector() {
  if (!('BarcodeDetector' in globalThis)) return null;
  try {
    const supported = await globalThis.BarcodeDetector.getSupportedFormats();
    if (!REQUIRED.every((format) => supported.includes(format))) return null;
    const detector = new globalThis.BarcodeDetector({ formats: NATIVE_FORMATS.filter((format) => supported.includes(format)) });
    return { kind: 'native', detect: async (source) => (await detector.detect(source)).map((code) => code.rawValue) };
  } catch {
    return null;
  }
}

async function zxingDetector() {
  const ZXing = await loadZxing();
  const reader = new ZXing.MultiFormatReader();
  const F = ZXing.BarcodeFormat;
  reader.setHints(
    new Map([
      [ZXing.DecodeHintType.POSSIBLE_FORMATS, [F.CODE_128, F.QR_CODE, F.EAN_13, F.EAN_8, F.UPC_A, F.CODE_39, F.ITF, F.DATA_MATRIX]],
      [ZXing.DecodeHintType.TRY_HARDER, true],
    ]),
  );
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  let turn = 0;
  return {
    kind: 'zxing',
    /** One frame per call; every other call reads it turned a quarter, for labels held sideways. */
    async detect(source) {
      const width = source.videoWidth ?? source.naturalWidth ?? source.width;
      const height = source.videoHeight ?? source.naturalHeight ?? source.height;
      if (!width || !height) return [];
      const scale = Math.min(1, 960 / Math.max(width, height));
      const w = Math.round(width * scale);
      const h = Math.round(height * scale);
      canvas.width = w;
      canvas.height = h;
      context.drawImage(source, 0, 0, w, h);
      const rgba = context.getImageData(0, 0, w, h).data;
      const rotate = turn++ % 2 === 1;
      const luminance = new Uint8ClampedArray(w * h);
      for (let y = 0, i = 0; y < h; y++) {
        for (let x = 0; x < w; x++, i += 4) {
          const value = (rgba[i] + 2 * rgba[i + 1] + rgba[i + 2]) >> 2;
          if (rotate) luminance[x * h + (h - 1 - y)] = value;
          else luminance[y * w + x] = value;
        }
      }
      const source2 = new ZXing.RGBLuminanceSource(luminance, rotate ? h : w, rotate ? w : h);
      try {
        return [reader.decodeWithState(new ZXing.BinaryBitmap(new ZXing.HybridBinarizer(source2))).getText()];
      } catch {
        return [];
      } finally {
        reader.reset();
      }
    },
  };
}

let detectorPromise;
/** The best reader this browser has; the fallback library is fetched on first use only. */
export function getDetector() {
  detectorPromise ??= nativeDetector()
    .then((native) => native ?? zxingDetector())
    .catch((error) => {
      detectorPromise = undefined;
      throw error;
    });
  return detectorPromise;
}

/**
 * Reads codes from a playing <video> a few times a second until stopped. A code is reported again
 * only after `repeatMs` without seeing it, so a label held in front of the camera counts once.
 */
export function scanVideo(video, onCode, { intervalMs = 200, repeatMs = 3000, onUnavailable = () => {} } = {}) {
  let stopped = false;
  let last = null;
  let lastSeen = 0;
  (async () => {
    let detector;
    // Offline before the reader was ever fetched: keep trying, the keyboard and scanners still work.
    while (!stopped && !detector) {
      detector = await getDetector().catch((error) => {
        onUnavailable(error);
        return new Promise((resolve) => setTimeout(() => resolve(undefined), 5000));
      });
    }
    if (detector) onUnavailable(null);
    while (!stopped) {
      const started = performance.now();
      if (video.readyState >= 2 && !document.hidden) {
        const [code] = await detector.detect(video).catch(() => []);
        const now = performance.now();
        if (code && !stopped && (code !== last || now - lastSeen > repeatMs)) onCode(code);
        if (code) {
          last = code;
          lastSeen = now;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, Math.max(50, intervalMs - (performance.now() - started))));
    }
  })().catch((error) => console.error('barcode scanning stopped', error));
  return () => (stopped = true);
}

const isEditable = (element) => element instanceof HTMLElement && (element.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(element.tagName));

/**
 * Keyboard-wedge scanners: characters arrive a few milliseconds apart, then Enter. With no field
 * focused, any characters then Enter are a code. In a field (say, the weight), only a burst that fast
 * is taken as a scan, and the field gets back what it held before the burst began.
 * `ignore(element)` names fields whose own Enter handling already covers codes (the order field).
 */
export function listenForScanner(onCode, { ignore = () => false, burstGapMs = 60, minLength = 3 } = {}) {
  let keys = [];
  let fieldBefore = null;
  const reset = () => {
    keys = [];
    fieldBefore = null;
  };
  const onKeyDown = (event) => {
    if (event.isComposing || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (ignore(target)) return reset();
    const now = event.timeStamp;
    if (event.key === 'Enter') {
      const fast = keys.length >= 6 && keys.every((key, i) => i === 0 || key.at - keys[i - 1].at < burstGapMs);
      const code = keys.map((key) => key.char).join('').trim();
      const editable = isEditable(target);
      if (code.length >= minLength && (!editable || fast)) {
        event.preventDefault();
        event.stopPropagation();
        if (editable && fieldBefore && fieldBefore.element === target) {
          target.value = fieldBefore.value;
          target.dispatchEvent(new Event('input', { bubbles: true }));
        }
        reset();
        onCode(code);
        return;
      }
      reset();
      return;
    }
    if (event.key.length !== 1) return;
    if (keys.length && now - keys[keys.length - 1].at > (isEditable(target) ? burstGapMs : 1000)) reset();
    if (!keys.length && isEditable(target)) fieldBefore = { element: target, value: target.value };
    keys.push({ char: event.key, at: now });
    // A space would press a focused button; a scanned code must not.
    if (!isEditable(target) && event.key === ' ') event.preventDefault();
  };
  addEventListener('keydown', onKeyDown, true);
  return () => removeEventListener('keydown', onKeyDown, true);
}
