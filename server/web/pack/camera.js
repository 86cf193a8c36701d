// The live camera: the stream, a canvas that draws each frame with the order ID, clock and weight
// on it (so they are burned into the video), recording that canvas plus the microphone, and photos.

/** Live capture needs a secure context and these APIs; without them the app uses the camera app. */
export const liveCameraAvailable = () =>
  Boolean(
    globalThis.isSecureContext &&
      navigator.mediaDevices?.getUserMedia &&
      globalThis.MediaRecorder &&
      HTMLCanvasElement.prototype.captureStream,
  );

/** The first type this browser records: WebM (Chrome, Firefox, Android) or MP4 (Safari). */
export function recordingType() {
  const candidates = ['video/webm;codecs=vp8,opus', 'video/webm;codecs=vp9,opus', 'video/webm', 'video/mp4;codecs=avc1,mp4a', 'video/mp4'];
  return candidates.find((type) => MediaRecorder.isTypeSupported(type)) ?? '';
}

export async function openCamera() {
  const video = { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 24 } };
  try {
    return await navigator.mediaDevices.getUserMedia({ video, audio: { echoCancellation: false, noiseSuppression: false } });
  } catch (error) {
    // No microphone, or it was refused: a silent video is still evidence.
    if (error?.name === 'NotFoundError' || error?.name === 'NotAllowedError' || error?.name === 'OverconstrainedError') {
      return navigator.mediaDevices.getUserMedia({ video });
    }
    throw error;
  }
}

/**
 * Draws the camera into `canvas` with an overlay, at most `fps` times a second, while started.
 * `overlay()` returns { lines: [big, ...small], recording: seconds | null } for each frame.
 */
export function createCompositor({ video, canvas, overlay, fps = 24, maxSide = 1280 }) {
  const context = canvas.getContext('2d', { alpha: false });
  let running = false;
  let timer = null;
  let lastDraw = 0;

  function size() {
    const w = video.videoWidth || 640;
    const h = video.videoHeight || 480;
    const scale = Math.min(1, maxSide / Math.max(w, h));
    const width = Math.round((w * scale) / 2) * 2;
    const height = Math.round((h * scale) / 2) * 2;
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
  }

  function draw() {
    size();
    const { width, height } = canvas;
    if (video.readyState >= 2) context.drawImage(video, 0, 0, width, height);
    else {
      context.fillStyle = '#222';
      context.fillRect(0, 0, width, height);
    }
    const { lines, recording } = overlay();
    const unit = Math.max(14, Math.round(Math.min(width, height) / 20));
    const pad = Math.round(unit * 0.5);
    const lineHeight = Math.round(unit * 1.3);
    const bandHeight = pad * 2 + lineHeight * lines.length + Math.round(unit * 0.3);
    context.fillStyle = 'rgba(0,0,0,0.6)';
    context.fillRect(0, height - bandHeight, width, bandHeight);
    context.textBaseline = 'top';
    lines.forEach((line, i) => {
      context.font = `${i === 0 ? 'bold ' : ''}${i === 0 ? Math.round(unit * 1.2) : unit}px system-ui, sans-serif`;
      context.fillStyle = i === 0 ? '#ffffff' : '#ffe066';
      context.fillText(line, pad, height - bandHeight + pad + i * lineHeight + (i > 0 ? Math.round(unit * 0.3) : 0), width - pad * 2);
    });
    if (recording !== null) {
      const label = `● REC ${formatDuration(recording)}`;
      context.font = `bold ${unit}px system-ui, sans-serif`;
      const w = context.measureText(label).width + pad * 2;
      context.fillStyle = 'rgba(0,0,0,0.6)';
      context.fillRect(pad, pad, w, lineHeight + pad);
      context.fillStyle = '#ff4d4d';
      context.fillText(label, pad * 2, pad + pad / 2);
    }
  }

  // A timer rather than requestAnimationFrame: rAF stops when the screen turns off or the tab is
  // hidden, and a recording must keep its clock moving.
  function loop() {
    if (!running) return;
    const now = performance.now();
    if (now - lastDraw >= 1000 / fps - 2) {
      lastDraw = now;
      draw();
    }
    timer = setTimeout(loop, Math.max(4, 1000 / fps - (performance.now() - now)));
  }

  return {
    canvas,
    start() {
      if (running) return;
      running = true;
      loop();
    },
    stop() {
      running = false;
      clearTimeout(timer);
    },
    draw,
    get running() {
      return running;
    },
  };
}

export const formatDuration = (seconds) => {
  const s = Math.max(0, Math.floor(seconds));
  const hours = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return hours ? `${hours}:${mm}:${ss}` : `${mm}:${ss}`;
};

/**
 * Records the compositor's canvas and the microphone. `onChunk(blob)` gets a piece every
 * `sliceMs`; `stop()` resolves after the last piece has been handed over.
 */
export function createRecording({ canvas, stream, type, onChunk, sliceMs = 2000, fps = 24 }) {
  const canvasStream = canvas.captureStream(fps);
  const tracks = [...canvasStream.getVideoTracks(), ...stream.getAudioTracks()];
  const recorder = new MediaRecorder(new MediaStream(tracks), {
    mimeType: type || undefined,
    videoBitsPerSecond: 2_500_000,
    audioBitsPerSecond: 64_000,
  });
  const startedAt = performance.now();
  const stopped = new Promise((resolve, reject) => {
    recorder.onstop = () => resolve();
    recorder.onerror = (event) => reject(event.error ?? new Error('recording failed'));
  });
  recorder.ondataavailable = (event) => {
    if (event.data.size > 0) onChunk(event.data);
  };
  recorder.start(sliceMs);
  return {
    type: recorder.mimeType || type,
    elapsed: () => (performance.now() - startedAt) / 1000,
    get state() {
      return recorder.state;
    },
    async stop() {
      if (recorder.state !== 'inactive') recorder.stop();
      try {
        await stopped;
      } finally {
        for (const track of canvasStream.getTracks()) track.stop();
      }
    },
  };
}

/** A JPEG of the current camera frame at the camera's full size, without the overlay. */
export function takePhoto(video, quality = 0.9) {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d').drawImage(video, 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no photo'))), 'image/jpeg', quality));
}
