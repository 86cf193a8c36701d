// The packer app: pairing, order entry (camera, USB scanner, keyboard), the capture screen
// (order card, weight check, recording, photos, return inspection) and the outbox's visible state.
import { api, forgetSession, getDevice, getToken, onUnauthorized, saveSession, serverNow } from './api.js';
import {
  createCompositor, createRecording, formatDuration, liveCameraAvailable, openCamera, recordingType, takePhoto,
} from './camera.js';
import { openStore } from './db.js';
import { applyTranslations, currentLanguage, formatGrams, formatNumber, formatTime, locale, setLanguage, t } from './i18n.js';
import { createOutbox, readHistory } from './outbox.js';
import { getDetector, listenForScanner, scanVideo } from './scanner.js';
import { Sha256 } from './sha256.js';
import {
  checklistItems as CHECKLIST, checklistResults, claimPhotoKinds as PHOTO_TAGS, inspectionOutcomes as OUTCOMES,
} from './vocabulary.js';
import { checkWeight, formatWeight, parseWeight, toGrams } from './weight.js';

// Every module loaded: boot-check.js need not warn (boot itself reports its own failures).
globalThis.packtrailStarted = true;

const $ = (id) => document.getElementById(id);
const el = (tag, { dataset, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children.filter((child) => child !== null && child !== undefined && child !== false));
  return node;
};

const SETTINGS_KEY = 'packtrail.settings';
const CURRENT_KEY = 'packtrail.current';
const ME_KEY = 'packtrail.me';

const settings = {
  station: '',
  tolerancePercent: 5,
  idleMinutes: 10,
  autoRecord: true,
  unit: 'g',
  mode: 'packing',
  ...JSON.parse(localStorage.getItem(SETTINGS_KEY) ?? '{}'),
};
const saveSettings = () => localStorage.setItem(SETTINGS_KEY, JSON.stringify(settings));

const app = {
  outbox: null,
  me: JSON.parse(localStorage.getItem(ME_KEY) ?? 'null'),
  screen: null,
  current: null,
  orderState: 'loading',
  stream: null,
  cameraError: null,
  cameraQueue: Promise.resolve(),
  stopScan: null,
  compositor: null,
  recording: null,
  recordingStart: null,
  recordTimer: null,
  orderQueue: Promise.resolve(),
  lastFinished: null,
  pairScanning: false,
  lastActivity: Date.now(),
  outcomeWarned: false,
  checklistPhotoFor: null,
  recorded: [],
  /** Courier photo tags: those chosen for the next photo, and the photo whose tags are open for change. */
  tags: { next: [], open: null },
};

// ---------- small helpers ----------

/**
 * Text from a translation key, remembered on its node, so a language switch re-renders whatever is
 * on screen (a notice, a status line, a question) instead of leaving it in the language it came in.
 */
const spoken = new Set();
function say(node, key, params = {}) {
  if (!key) {
    spoken.delete(node);
    node.textContent = '';
    return;
  }
  node.packtrailText = { key, params };
  spoken.add(node);
  node.textContent = t(key, params);
}
function sayAgain() {
  for (const node of spoken) node.textContent = t(node.packtrailText.key, node.packtrailText.params);
}

let toastTimer;
function toast(key, params = {}, { long = false, tone = 'info' } = {}) {
  const box = $('toast');
  say(box, key, params);
  box.dataset.tone = tone;
  box.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (box.hidden = true), long ? 9000 : 4000);
}

/** The open question (see ask), if any. */
let asking = null;

/**
 * Asks the packer, in a panel at the bottom of the screen within thumb reach, with two big answers;
 * resolves true for `yes`, false for `no`. Only one question at a time: a new one answers the open
 * one "no". `code` names the scanned code the question is about (see openOrder).
 */
function ask({ key, params = {}, yes, no, code = null }) {
  answerAsk(false);
  say($('ask-text'), key, params);
  say($('ask-yes'), yes);
  say($('ask-no'), no);
  $('ask-yes').hidden = false;
  $('ask-choices').replaceChildren();
  $('ask-choices').hidden = true;
  const panel = $('ask');
  panel.hidden = false;
  // The panel itself takes the focus, not a button: a stray Enter must not answer for the packer.
  panel.focus();
  return new Promise((resolve) => (asking = { resolve, code }));
}

/**
 * Asks the packer to pick one of `choices` ({ value, label, detail }), each a big button, with `no`
 * below them; resolves the chosen value, or null for `no` (or when another question replaces this one).
 */
async function choose({ key, params = {}, choices, no, code = null }) {
  const answer = ask({ key, params, yes: no, no, code });
  $('ask-yes').hidden = true;
  const list = $('ask-choices');
  list.replaceChildren(
    ...choices.map((choice, index) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'big choice';
      button.dataset.choice = String(index);
      const label = document.createElement('strong');
      label.textContent = choice.label;
      button.append(label);
      if (choice.detail) {
        const detail = document.createElement('span');
        detail.textContent = choice.detail;
        button.append(detail);
      }
      button.addEventListener('click', () => answerAsk(index));
      return button;
    }),
  );
  list.hidden = false;
  const picked = await answer;
  return typeof picked === 'number' ? choices[picked].value : null;
}

function answerAsk(answer) {
  if (!asking) return;
  const { resolve } = asking;
  asking = null;
  $('ask').hidden = true;
  resolve(answer);
}

let audio;
function beep(pattern = [[880, 0.08]]) {
  try {
    audio ??= new AudioContext();
    let at = audio.currentTime;
    for (const [frequency, seconds] of pattern) {
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = frequency;
      gain.gain.value = 0.2;
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + seconds);
      at += seconds + 0.06;
    }
  } catch {
    // No sound is not a failure.
  }
}
const buzz = (pattern) => navigator.vibrate?.(pattern);

const number = formatNumber;
const grams = formatGrams;
function bytesText(bytes) {
  if (bytes < 1024 * 1024) return `${number(Math.max(1, Math.round(bytes / 1024)))} KB`;
  return `${number(bytes / 1024 / 1024, 1)} MB`;
}

const shopTimeZone = () => {
  const zone = app.me?.shop?.timezone;
  try {
    if (zone) new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
};

let clockFormat;
function clockText(date) {
  clockFormat ??= new Intl.DateTimeFormat('sv-SE', {
    timeZone: shopTimeZone(),
    year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
    hourCycle: 'h23', timeZoneName: 'shortOffset',
  });
  return clockFormat.format(date);
}
const timeText = (iso) => formatTime(iso, shopTimeZone(), { hour: '2-digit', minute: '2-digit' });
const dayOf = (iso) => formatTime(iso, shopTimeZone(), { year: 'numeric', month: '2-digit', day: '2-digit' });

/** A moment with its day: "Today 14:03", "Yesterday 09:12", else the date ("Mar 4, 14:03"), in the shop's zone. */
function whenText(iso) {
  const now = serverNow();
  const day = dayOf(iso);
  if (day === dayOf(now.toISOString())) return t('when.today', { time: timeText(iso) });
  if (day === dayOf(new Date(now.getTime() - 86_400_000).toISOString())) return t('when.yesterday', { time: timeText(iso) });
  const sameYear = formatTime(iso, shopTimeZone(), { year: 'numeric' }) === formatTime(now.toISOString(), shopTimeZone(), { year: 'numeric' });
  return formatTime(iso, shopTimeZone(), {
    ...(sameYear ? {} : { year: 'numeric' }), month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit',
  });
}

function fileName(orderId, kind, extension) {
  const safe = orderId.replace(/[^\w.-]+/g, '_').slice(0, 60);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  return `${safe}-${kind}-${stamp}.${extension}`;
}

const extensionFor = (type, fallback) =>
  ({ 'image/jpeg': 'jpg', 'image/png': 'png', 'image/heic': 'heic', 'image/webp': 'webp', 'video/webm': 'webm', 'video/mp4': 'mp4', 'video/quicktime': 'mov' })[type] ?? fallback;

const currentCapture = () => (app.current ? app.outbox.get(app.current) : undefined);

function setCurrent(localId) {
  app.current = localId;
  if (localId) localStorage.setItem(CURRENT_KEY, localId);
  else localStorage.removeItem(CURRENT_KEY);
}

// ---------- screens ----------

function show(screen) {
  app.screen = screen;
  for (const name of ['pair', 'scan', 'capture']) $(`screen-${name}`).hidden = name !== screen;
  $('actions').hidden = screen !== 'capture';
  document.body.dataset.screen = screen;
  render();
  updateCamera();
}

function openSheet(id) {
  for (const sheet of document.querySelectorAll('.sheet')) sheet.hidden = sheet.id !== id;
  if (id === 'sheet-outbox') renderOutbox();
  if (id === 'sheet-settings') renderSettings();
}
const closeSheets = () => {
  for (const sheet of document.querySelectorAll('.sheet')) sheet.hidden = true;
};

function render() {
  renderHeader();
  renderChip();
  if (app.screen === 'scan') renderScan();
  if (app.screen === 'capture') renderCapture();
  if (app.screen === 'pair') renderPair();
}

function renderHeader() {
  $('shop-name').textContent = app.me?.shop?.name ?? 'Packtrail';
  $('device-name').textContent = getDevice()?.name ?? app.me?.name ?? '';
  $('language').value = currentLanguage();
}

// ---------- the camera on the stage ----------

function updateCamera() {
  app.cameraQueue = app.cameraQueue.then(applyCamera).catch((error) => console.error('camera', error));
  return app.cameraQueue;
}

function stageMessage(key) {
  const message = $('stage-message');
  say(message, key);
  message.hidden = !key;
}

async function applyCamera() {
  const live = liveCameraAvailable();
  const wanted =
    live && !document.hidden && (app.screen === 'capture' || app.screen === 'scan' || (app.screen === 'pair' && app.pairScanning));
  const stage = $('stage');
  const video = $('camera');
  const canvas = $('composite');
  stage.hidden = !(wanted || app.screen === 'capture' || app.screen === 'scan');
  $('camera-start').hidden = true;

  stage.classList.toggle('no-camera', !live || Boolean(app.cameraError));
  if (!live) {
    stageMessage(globalThis.isSecureContext ? 'camera.unsupported' : 'camera.insecure');
    stage.hidden = app.screen === 'pair';
    video.hidden = true;
    canvas.hidden = true;
    return;
  }
  if (!wanted) {
    if (!app.recording) stopCamera();
    return;
  }
  if (!app.stream) {
    stageMessage('camera.starting');
    try {
      app.stream = await openCamera();
      app.cameraError = null;
      video.srcObject = app.stream;
      await video.play().catch(() => {});
      if (!video.videoWidth) {
        await new Promise((resolve) => {
          video.addEventListener('loadedmetadata', resolve, { once: true });
          setTimeout(resolve, 5000);
        });
      }
    } catch (error) {
      app.cameraError = error;
      app.stream = null;
      stage.classList.add('no-camera');
      stageMessage(error?.name === 'NotAllowedError' ? 'camera.denied' : 'camera.failed');
      $('camera-start').hidden = app.screen !== 'scan';
      render();
      return;
    }
  }
  stageMessage(null);
  stage.classList.remove('no-camera');
  if (video.videoWidth) stage.style.aspectRatio = `${video.videoWidth} / ${video.videoHeight}`;
  const scanning = app.screen !== 'capture';
  video.hidden = !scanning;
  canvas.hidden = scanning;
  stage.querySelector('.scan-frame').hidden = !scanning;
  if (scanning) {
    app.compositor?.stop();
    if (!app.stopScan) {
      app.stopScan = scanVideo(video, onCameraCode, { onUnavailable: (error) => stageMessage(error ? 'scan.readerUnavailable' : null) });
    }
  } else {
    app.stopScan?.();
    app.stopScan = null;
    app.compositor ??= createCompositor({ video, canvas, overlay: overlayContent });
    app.compositor.start();
  }
  render();
}

function stopCamera() {
  app.stopScan?.();
  app.stopScan = null;
  app.compositor?.stop();
  for (const track of app.stream?.getTracks() ?? []) track.stop();
  app.stream = null;
  $('camera').srcObject = null;
}

function overlayContent() {
  const capture = currentCapture();
  const lines = [capture?.orderId ?? '', clockText(serverNow())];
  const weight = capture?.fields.weight;
  const parts = [];
  if (weight) parts.push(`${t('overlay.weight')} ${formatWeight(weight.value, weight.unit, locale())}`);
  if (settings.station) parts.push(settings.station);
  if (parts.length) lines.push(parts.join(' · '));
  return { lines, recording: app.recording ? app.recording.recorder.elapsed() : null };
}

async function onCameraCode(code) {
  if (app.screen === 'pair') {
    buzz(60);
    beep();
    const pairing = pairingCodeFrom(code);
    if (pairing) await pair(pairing);
    else say($('pair-status'), 'pair.notPairingCode');
    return;
  }
  if (app.screen !== 'scan') return;
  // The label of the parcel just finished is often still in view: while it stays there the camera
  // does not reopen it (typing it or a USB scanner still can).
  if (app.lastFinished?.codes.includes(code.trim()) && Date.now() - app.lastFinished.at < 15_000) {
    app.lastFinished.at = Date.now();
    if ($('toast').hidden) toast('scan.justFinished', { orderId: app.lastFinished.orderId });
    return;
  }
  buzz(60);
  beep();
  await openOrder(code);
}

// ---------- pairing ----------

function pairingCodeFrom(text) {
  const match = /[#&?]pair=([^&\s#]+)/.exec(text);
  return match ? decodeURIComponent(match[1]) : null;
}

async function pair(code) {
  const status = $('pair-status');
  if (app.screen !== 'pair') show('pair');
  say(status, 'pair.working');
  try {
    const paired = await api('POST', '/devices/pair', { json: { code }, auth: false });
    saveSession(paired.token, paired.device);
    app.pairScanning = false;
    $('pair-reason').hidden = true;
    say(status, null);
    await loadMe();
    app.outbox.retryNow();
    toast('pair.done', { name: paired.device.name });
    resumeOrHome();
  } catch (error) {
    say(status, error.status === 0 ? 'pair.offline' : error.status === 429 ? 'pair.tooMany' : 'pair.failed');
    $('pair-input').value = `${location.origin}/pack#pair=${code}`;
  }
}

async function loadMe() {
  try {
    app.me = await api('GET', '/me');
    localStorage.setItem(ME_KEY, JSON.stringify(app.me));
    clockFormat = undefined;
  } catch {
    // Offline: the last known shop and device names do.
  }
  renderHeader();
}

function unpaired() {
  const reason = $('pair-reason');
  say(reason, 'pair.again');
  reason.hidden = false;
  if (app.recording) void stopRecording();
  show('pair');
}

function renderPair() {
  const pending = app.outbox.summary().pending;
  const reason = $('pair-reason');
  if (!reason.hidden && pending) say(reason, 'pair.againKept', { count: pending });
  $('pair-scan').hidden = !liveCameraAvailable();
  $('pair-scan').textContent = app.pairScanning ? t('pair.scanning') : t('pair.scan');
}

// ---------- orders ----------

/**
 * One order at a time: a second scan arriving while the first is still opening waits its turn.
 * A code arriving while the packer is being asked something answers the question "no" (they moved
 * on to another parcel); the same code again (the camera still sees the label) changes nothing.
 */
function openOrder(raw) {
  const code = String(raw).trim();
  if (asking) {
    if (asking.code === code) return app.orderQueue;
    answerAsk(false);
  }
  app.orderQueue = app.orderQueue.then(() => openOrderNow(code)).catch((error) => {
    console.error('open order', error);
    toast('scan.openFailed', { message: error?.message ?? String(error) }, { tone: 'error', long: true });
  });
  return app.orderQueue;
}

/** How long a lookup may take before the app treats the server as out of reach. */
const LOOKUP_TIMEOUT_MS = 6000;

/**
 * What a scanned or typed code is. A waybill's tracking number first (the label on the parcel is
 * what the camera sees), then an order ID. Answers { order, via } when found, { ambiguous: [orders] }
 * when several orders hold the waybill, { unknown: true } when the server knows neither, { offline: true }
 * on no answer, { failed: error } on a refusal.
 */
async function lookUpCode(code) {
  if (!navigator.onLine) return { offline: true };
  const get = (path) => api('GET', path, { signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });
  const trouble = (error) => (error?.status === 0 ? { offline: true } : { failed: error });
  try {
    return { order: await get(`/orders/by-tracking/${encodeURIComponent(code)}`), via: 'tracking' };
  } catch (error) {
    if (error?.code === 'AMBIGUOUS_TRACKING_NUMBER') {
      // Several orders hold it (a reused number): their buyers help the packer tell them apart.
      const orderIds = Array.isArray(error.body?.orderIds) ? error.body.orderIds : [];
      try {
        const orders = await Promise.all(orderIds.map((orderId) => get(`/orders/${encodeURIComponent(orderId)}`)));
        return { ambiguous: orders };
      } catch (lookupError) {
        return trouble(lookupError);
      }
    }
    // 404: no order holds it as a tracking number; 400: it cannot be one (too long). Either way it may be an order ID.
    if (error?.status !== 404 && error?.status !== 400) return trouble(error);
  }
  try {
    return { order: await get(`/orders/${encodeURIComponent(code)}`), via: 'order' };
  } catch (error) {
    return error?.status === 404 ? { unknown: true } : trouble(error);
  }
}

async function openOrderNow(code) {
  const pairing = pairingCodeFrom(code);
  if (pairing) return pair(pairing);
  if (!code || code.length > 128 || /[\u0000-\u001f\u007f]/.test(code)) {
    toast('scan.invalid', {}, { tone: 'warn' });
    return;
  }
  if (!getToken()) {
    toast('pair.needed', {}, { tone: 'warn' });
    return;
  }
  const open = currentCapture();
  if (open && (open.orderId === code || open.scannedCode === code)) return alreadyOpen(open);

  say($('scan-status'), 'scan.lookingUp', { code });
  const found = await lookUpCode(code).finally(() => say($('scan-status'), null));
  let orderId = code;
  let order = null;
  let state = 'loaded';
  if (found.ambiguous) {
    // Never a guess between orders sharing a waybill: the wrong one would hold this parcel's evidence.
    order = await choose({
      key: 'ask.whichOrder',
      params: { code, count: found.ambiguous.length },
      choices: found.ambiguous.map((candidate) => ({ value: candidate, label: candidate.orderId, detail: candidate.buyer?.name ?? '' })),
      no: 'ask.cancel',
      code,
    });
    if (!order) {
      toast('scan.notStarted', { code });
      return;
    }
    orderId = order.orderId;
  } else if (found.order) {
    order = found.order;
    orderId = order.orderId;
  } else if (found.unknown) {
    // Never a new order by surprise: a waybill the server does not know would cut the evidence off
    // from the real order. The packer says whether this code is a new order.
    if (!(await ask({ key: 'ask.unknown', params: { code }, yes: 'ask.startNew', no: 'ask.cancel', code }))) {
      toast('scan.notStarted', { code });
      return;
    }
    state = 'new';
  } else {
    // No answer (bad Wi-Fi) or a refusal: nobody can tell what the code is. Evidence must not wait
    // for the network, so the packer may go on with the code as the order ID; the capture waits in
    // the outbox and the server files it under that ID (a seller can re-file it from the dashboard).
    const key = found.offline ? 'ask.offline' : 'ask.lookupFailed';
    if (!(await ask({ key, params: { code, message: found.failed?.message ?? '' }, yes: 'ask.goOn', no: 'ask.cancel', code }))) {
      toast('scan.notStarted', { code });
      return;
    }
    state = found.offline ? 'offline' : 'error';
  }
  const current = currentCapture();
  if (current && current.orderId === orderId) return alreadyOpen(current);
  // Scanning the next order finishes the current one.
  if (current) await finishCurrent();
  const capture = await app.outbox.startCapture({
    orderId, kind: settings.mode, station: settings.station, order, scannedCode: code !== orderId ? code : undefined,
  });
  setCurrent(capture.localId);
  app.orderState = state;
  app.outcomeWarned = false;
  app.tags = { next: [], open: null };
  $('order-input').value = '';
  $('weight-input').value = '';
  show('capture');
  if (order?.buyer?.flagged) flaggedAlarm();
  // Found by its waybill: the summary has no capture timeline yet; the full order follows.
  if (found.via === 'tracking') void loadOrder(capture.localId);
  if (settings.autoRecord && liveCameraAvailable()) void startRecording();
}

function alreadyOpen(capture) {
  toast('scan.alreadyOpen', { orderId: capture.orderId });
  if (app.screen !== 'capture') show('capture');
}

function flaggedAlarm() {
  buzz([300, 100, 300, 100, 600]);
  beep([[660, 0.18], [990, 0.18], [660, 0.18], [990, 0.3]]);
}

/** The order's details (after a reload, or the full order behind a waybill's summary). */
async function loadOrder(localId) {
  const capture = app.outbox.get(localId);
  if (!capture) return;
  const known = Boolean(capture.order);
  try {
    const order = await api('GET', `/orders/${encodeURIComponent(capture.orderId)}`);
    await app.outbox.updateCapture(localId, { order });
    if (app.current === localId) app.orderState = 'loaded';
    if (order.buyer?.flagged && !known && app.current === localId) flaggedAlarm();
  } catch (error) {
    if (app.current === localId && !known) app.orderState = error.status === 404 ? 'new' : error.status === 0 ? 'offline' : 'error';
  }
  if (app.current === localId) renderCapture();
}

// ---------- the capture screen ----------

function renderCapture() {
  const capture = currentCapture();
  if (!capture) return;
  const order = capture.order;
  const unboxing = capture.kind === 'unboxing';
  $('capture-order').textContent = capture.orderId;
  // Who the parcel is for, and the waybill it was found by: the packer sees the scan found the right order.
  const about = [order?.buyer?.name, capture.scannedCode ? t('capture.foundBy', { code: capture.scannedCode }) : null].filter(Boolean);
  $('capture-about').textContent = about.join(' · ');
  $('capture-about').hidden = !about.length;
  $('capture-kind').textContent = t(`mode.${capture.kind}`);
  $('capture-kind').dataset.kind = capture.kind;

  const flagged = Boolean(order?.buyer?.flagged);
  $('flag-alert').hidden = !flagged;
  $('flag-reason').textContent = flagged ? [order.buyer.name, order.buyer.flagReason].filter(Boolean).join(' — ') : '';

  const files = app.outbox.filesOf(capture.localId);
  const videos = files.filter((file) => file.kind === 'video').length;
  const photos = files.filter((file) => file.kind === 'photo').length;
  $('capture-files').textContent = t('capture.fileCount', { videos, photos });
  // An interruption is news once: it stays until the packer dismisses it or records again (a later
  // interruption of the same capture is news again).
  const interrupted = interruptionsOf(capture) > (capture.interruptionsSeen ?? 0);
  $('capture-notice').hidden = !interrupted && !app.cameraError;
  $('capture-notice-text').textContent = interrupted ? t('capture.interrupted') : app.cameraError ? t('capture.useCameraApp') : '';
  $('notice-dismiss').hidden = !interrupted;

  renderWeight();
  $('inspection').hidden = !unboxing;
  if (unboxing) renderInspection(capture);
  renderTags(capture);
  renderOrderCard(capture);
  renderActions();
}

const interruptionsOf = (capture) => app.outbox.filesOf(capture.localId).filter((file) => file.interrupted).length;

function renderOrderCard(capture) {
  const order = capture.order;
  const status = $('order-status');
  const stateText = {
    loading: t('order.loading'),
    new: t('order.unknown'),
    offline: t('order.offline'),
    error: t('order.error'),
    loaded: '',
  }[order ? 'loaded' : app.orderState];
  status.textContent = stateText ?? '';
  status.hidden = !stateText;

  const facts = $('order-facts');
  facts.replaceChildren();
  const fact = (label, value) => value && facts.append(el('dt', { textContent: label }), el('dd', { textContent: value }));
  if (order) {
    fact(t('order.expectedWeight'), order.expectedWeightGrams ? grams(order.expectedWeightGrams) : t('order.noWeight'));
    fact(t('order.deliveryNote'), order.deliveryNote);
    fact(t('order.carrier'), [order.carrier, ...(order.trackingNumbers ?? [])].filter(Boolean).join(' · '));
    fact(t('order.buyer'), order.buyer?.name);
    const earlier = (order.captures ?? []).filter((item) => item.id !== capture.serverId);
    if (earlier.length) {
      fact(t('order.earlier'), earlier.map((item) => `${t(`mode.${item.kind}`)} ${whenText(item.startedAt)}`).join(', '));
    }
  }
  const items = $('order-items');
  items.replaceChildren(
    ...(order?.items ?? []).map((item) =>
      el(
        'li',
        {},
        el('strong', { className: 'qty', textContent: `${number(item.quantity)} ×` }),
        el('span', { textContent: item.name }),
        item.unitWeightGrams ? el('small', { textContent: t('order.each', { weight: grams(item.unitWeightGrams) }) }) : null,
      )),
  );
}

function weightDraft() {
  const text = $('weight-input').value;
  return { text, value: parseWeight(text) };
}

/**
 * The allowed deviation in percent. The shop's own tolerance, when the server tells the phone one
 * (the weights part sets it per shop); otherwise the phone's setting (5 % unless changed there).
 */
function tolerancePercent() {
  const shop = app.me?.shop?.weightTolerancePercent;
  return typeof shop === 'number' && shop >= 0 ? shop : settings.tolerancePercent;
}

/**
 * The typed weight against the order's expected weight: { status, key, params } where status is
 * none (nothing typed), invalid, unknown (no expected weight), ok or off; key and params say it.
 */
function weightVerdict(capture) {
  const { text, value } = weightDraft();
  const expected = capture?.order?.expectedWeightGrams;
  const tolerance = number(tolerancePercent(), 1);
  if (!text.trim()) return { status: 'none' };
  if (value === null) return { status: 'invalid', key: 'weight.invalid' };
  const unit = currentUnit();
  const measuredGrams = toGrams(value, unit);
  const measured = unit === 'g' ? grams(measuredGrams) : `${formatWeight(value, unit, locale())} = ${grams(measuredGrams)}`;
  const result = checkWeight(measuredGrams, expected, tolerancePercent());
  if (result.status === 'unknown') return { status: 'unknown', key: 'weight.noExpected', params: { measured } };
  const percent = `${result.deviation > 0 ? '+' : '−'}${number(Math.abs(result.deviation) * 100, 1)} %`;
  const params = { expected: grams(expected), tolerance, measured, percent };
  // A return is weighed against what was shipped, not against a parcel about to leave.
  const offKey = capture.kind === 'unboxing' ? 'weight.offReturn' : 'weight.off';
  return { status: result.status, key: result.status === 'ok' ? 'weight.ok' : offKey, params };
}

/**
 * The card holds the scale's number and what is expected; the verdict sits in the action bar at the
 * bottom, so it is in view wherever the page is scrolled and never under the bar.
 */
function renderWeight() {
  const capture = currentCapture();
  const input = $('weight-input');
  const saved = capture?.fields.weight;
  if (document.activeElement !== input && saved && parseWeight(input.value) !== saved.value) {
    input.value = String(saved.value);
  }
  const unit = saved && document.activeElement !== input && !input.dataset.touched ? saved.unit : settings.unit;
  for (const button of document.querySelectorAll('[data-unit]')) button.setAttribute('aria-checked', String(button.dataset.unit === unit));

  const expected = capture?.order?.expectedWeightGrams;
  $('weight-expected').textContent = expected
    ? t('weight.expected', { expected: grams(expected), tolerance: number(tolerancePercent(), 1) })
    : t('weight.prompt');
  const verdict = weightVerdict(capture);
  const check = $('weight-check');
  check.dataset.status = verdict.status;
  check.textContent = verdict.key ? t(verdict.key, verdict.params) : '';
  check.hidden = verdict.status === 'none';
}

function currentUnit() {
  return document.querySelector('[data-unit][aria-checked="true"]')?.dataset.unit ?? settings.unit;
}

async function commitWeight() {
  const capture = currentCapture();
  if (!capture) return;
  const { text, value } = weightDraft();
  const unit = currentUnit();
  const saved = capture.fields.weight;
  if (value !== null) {
    if (saved?.value !== value || saved?.unit !== unit) await app.outbox.updateCapture(capture.localId, { fields: { weight: { value, unit } } });
  } else if (!text.trim() && saved) {
    await app.outbox.updateCapture(capture.localId, { fields: { weight: null } });
  }
}

function renderInspection(capture) {
  const checklist = capture.fields.checklist ?? [];
  const entryFor = (item) => checklist.find((entry) => entry.item === item);
  const list = $('checklist');
  list.replaceChildren(
    ...CHECKLIST.map((item) => {
      const entry = entryFor(item);
      const photoCount = entry?.fileIds?.length ?? 0;
      const results = checklistResults.map((result) =>
        el('button', {
          type: 'button',
          className: `result result-${result}`,
          textContent: t(`inspect.${result}`),
          ariaChecked: String(entry?.result === result),
          role: 'radio',
          onclick: () => setChecklist(item, { result }),
        }),
      );
      const photo = el('button', {
        type: 'button',
        className: `result photo${entry?.result === 'issue' && !photoCount ? ' wanted' : ''}`,
        textContent: photoCount ? t('inspect.photos', { count: photoCount }) : t('inspect.photo'),
        onclick: () => checklistPhoto(item),
      });
      return el(
        'li',
        { dataset: { item } },
        el('span', { className: 'check-name', textContent: t(`inspect.${item}`) }),
        el('div', { className: 'check-buttons', role: 'radiogroup' }, ...results, photo),
      );
    }),
  );
  const outcomes = $('outcomes');
  outcomes.replaceChildren(
    ...OUTCOMES.map((outcome) =>
      el('button', {
        type: 'button',
        role: 'radio',
        className: `outcome outcome-${outcome}`,
        textContent: t(`outcome.${outcome}`),
        ariaChecked: String(capture.fields.outcome === outcome),
        onclick: async () => {
          await app.outbox.updateCapture(capture.localId, { fields: { outcome } });
          renderCapture();
        },
      })),
  );
  outcomes.classList.toggle('wanted', app.outcomeWarned && !capture.fields.outcome);
}

async function setChecklist(item, change) {
  const capture = currentCapture();
  if (!capture) return;
  const checklist = structuredClone(capture.fields.checklist ?? []);
  let entry = checklist.find((candidate) => candidate.item === item);
  if (!entry) checklist.push((entry = { item, result: 'ok', fileIds: [] }));
  if (change.result) entry.result = change.result;
  if (change.fileId) entry.fileIds = [...(entry.fileIds ?? []), change.fileId];
  await app.outbox.updateCapture(capture.localId, { fields: { checklist } });
  renderCapture();
}

async function checklistPhoto(item) {
  if (!app.stream) {
    app.checklistPhotoFor = item;
    $('native-input').click();
    return;
  }
  const fileId = await photo(t(`inspect.${item}`));
  if (!fileId) return;
  const entry = currentCapture()?.fields.checklist?.find((candidate) => candidate.item === item);
  await setChecklist(item, { fileId, result: entry?.result ?? 'issue' });
}

function renderActions() {
  const live = Boolean(app.stream);
  const recordButton = $('record-button');
  const photoButton = $('photo-button');
  recordButton.hidden = !live;
  const recording = Boolean(app.recording);
  recordButton.dataset.recording = String(recording);
  recordButton.textContent = recording ? `${t('capture.stop')} ${formatDuration(app.recording.recorder.elapsed())}` : t('capture.record');
  photoButton.textContent = live ? t('capture.photo') : t('capture.nativeCamera');
  $('done-button').textContent = t('capture.done');
}

/** Starts recording the open capture; a second call while starting gets the same start. */
function startRecording() {
  if (app.recording || !app.current) return Promise.resolve();
  app.recordingStart ??= beginRecording().finally(() => (app.recordingStart = null));
  return app.recordingStart;
}

async function beginRecording() {
  await app.cameraQueue;
  const capture = currentCapture();
  if (!capture || !app.stream || app.recording) return;
  if (!app.compositor?.running) await updateCamera();
  const type = recordingType();
  const baseType = type.split(';')[0] || 'video/webm';
  const fileId = await app.outbox.beginFile(capture.localId, {
    kind: 'video',
    type: baseType,
    name: fileName(capture.orderId, capture.kind, extensionFor(baseType, 'webm')),
    capturedAt: serverNow().toISOString(),
  });
  const hash = new Sha256();
  const recording = { fileId, localId: capture.localId, hash, chain: Promise.resolve(), failed: null };
  recording.recorder = createRecording({
    canvas: $('composite'),
    stream: app.stream,
    type,
    onChunk(blob) {
      recording.chain = recording.chain.then(async () => {
        if (recording.failed) return;
        try {
          const data = await blob.arrayBuffer();
          hash.update(data);
          await app.outbox.appendChunk(fileId, data);
        } catch (error) {
          recording.failed = error;
          toast('capture.storageFull', {}, { long: true, tone: 'error' });
          void stopRecording();
        }
      });
    },
  });
  app.recording = recording;
  app.recordTimer = setInterval(renderActions, 500);
  if (interruptionsOf(capture) > (capture.interruptionsSeen ?? 0)) {
    await app.outbox.updateCapture(capture.localId, { interruptionsSeen: interruptionsOf(capture) });
    if (app.screen === 'capture') renderCapture();
  }
  buzz(40);
  renderActions();
}

async function stopRecording() {
  // A recording still starting is let start, then stopped: none may outlive its capture.
  await app.recordingStart?.catch(() => {});
  const recording = app.recording;
  if (!recording) return;
  app.recording = null;
  clearInterval(app.recordTimer);
  renderActions();
  try {
    await recording.recorder.stop();
  } catch (error) {
    console.error('recorder stop', error);
  }
  await recording.chain;
  const sha256 = recording.hash.hex();
  await app.outbox.endFile(recording.fileId, sha256);
  app.recorded.push({ fileId: recording.fileId, kind: 'video', sha256, bytes: recording.hash.length });
  if (app.screen === 'capture') renderCapture();
}

async function photo(caption) {
  const capture = currentCapture();
  if (!capture || !app.stream) return null;
  const video = $('camera');
  const blob = await takePhoto(video);
  document.body.classList.add('flash');
  setTimeout(() => document.body.classList.remove('flash'), 150);
  buzz(30);
  const { fileId, sha256 } = await app.outbox.addFile(capture.localId, blob, {
    kind: 'photo',
    type: 'image/jpeg',
    name: fileName(capture.orderId, 'photo', 'jpg'),
    capturedAt: serverNow().toISOString(),
    caption,
    tags: takeNextTags(),
    thumb: await thumbnailOf(blob),
  });
  app.recorded.push({ fileId, kind: 'photo', sha256, bytes: blob.size });
  app.tags.open = fileId;
  renderCapture();
  return fileId;
}

async function nativeFile(file) {
  const capture = currentCapture();
  if (!capture || !file) return;
  const kind = file.type.startsWith('video/') ? 'video' : 'photo';
  const item = app.checklistPhotoFor;
  app.checklistPhotoFor = null;
  toast('capture.savingFile');
  const { fileId, sha256 } = await app.outbox.addFile(capture.localId, file, {
    kind,
    type: file.type || 'application/octet-stream',
    name: fileName(capture.orderId, kind, extensionFor(file.type, file.name.split('.').pop() || 'bin')),
    capturedAt: new Date(file.lastModified || Date.now()).toISOString(),
    caption: item ? t(`inspect.${item}`) : undefined,
    ...(kind === 'photo' ? { tags: takeNextTags(), thumb: await thumbnailOf(file) } : {}),
  });
  app.recorded.push({ fileId, kind, sha256, bytes: file.size });
  if (kind === 'photo') app.tags.open = fileId;
  if (item) await setChecklist(item, { fileId, result: 'issue' });
  toast('capture.fileSaved');
  renderCapture();
}

// ---------- courier photo tags ----------

/** The tags chosen for the next photo, handed to it (the choice starts empty again after each shot). */
function takeNextTags() {
  const tags = app.tags.next;
  app.tags.next = [];
  return tags;
}

/** `tags` with `tag` added or taken away, in the vocabulary's order. */
const toggledTag = (tags, tag) => PHOTO_TAGS.filter((code) => (code === tag ? !tags.includes(code) : tags.includes(code)));

/** A small JPEG of a photo for the capture's list (the photo itself leaves the phone once safe). */
async function thumbnailOf(blob) {
  try {
    const bitmap = await createImageBitmap(blob);
    const scale = 160 / Math.max(bitmap.width, bitmap.height);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return canvas.toDataURL('image/jpeg', 0.7);
  } catch {
    return undefined;
  }
}

/** One big toggle per courier photo kind; `selected` are pressed. */
function tagGrid(selected, onToggle) {
  return el(
    'div',
    { className: 'tag-grid', role: 'group' },
    ...PHOTO_TAGS.map((tag) =>
      el('button', {
        type: 'button',
        className: 'tag',
        dataset: { tag },
        textContent: t(`tag.${tag}`),
        ariaPressed: String(selected.includes(tag)),
        onclick: () => onToggle(tag),
      })),
  );
}

function renderTags(capture) {
  $('next-tags').replaceChildren(
    tagGrid(app.tags.next, (tag) => {
      app.tags.next = toggledTag(app.tags.next, tag);
      renderTags(currentCapture());
    }),
  );
  const photos = app.outbox.filesOf(capture.localId).filter((file) => file.kind === 'photo');
  $('photo-list').replaceChildren(
    ...photos
      .map((file, index) => {
        const tags = file.tags ?? [];
        const open = app.tags.open === file.fileId;
        const labels = tags.map((tag) => t(`tag.${tag}`)).join(' · ');
        return el(
          'li',
          { className: 'photo-item', dataset: { fileId: file.fileId, tags: tags.join(',') } },
          el(
            'div',
            { className: 'photo-row' },
            file.thumb ? el('img', { className: 'thumb', src: file.thumb, alt: '' }) : el('span', { className: 'thumb', textContent: '📷' }),
            el(
              'div',
              { className: 'photo-info' },
              el('strong', { textContent: t('tags.photo', { number: number(index + 1) }) }),
              el('span', { className: `photo-tags${tags.length ? '' : ' none'}`, textContent: labels || t('tags.none') }),
              file.tagsError ? el('span', { className: 'error', textContent: t('tags.notSaved', { message: file.tagsError.message }) }) : null,
            ),
            el('button', {
              type: 'button',
              className: 'small edit-tags',
              textContent: open ? t('tags.close') : t('tags.change'),
              ariaExpanded: String(open),
              onclick: () => {
                app.tags.open = open ? null : file.fileId;
                renderTags(currentCapture());
              },
            }),
          ),
          open
            ? tagGrid(tags, async (tag) => {
                await app.outbox.setFileTags(file.fileId, toggledTag(tags, tag));
                renderTags(currentCapture());
              })
            : null,
        );
      })
      .reverse(),
  );
}

/** Stops the recording, keeps the weight, and hands the capture to the outbox to finish. */
async function finishCurrent() {
  const capture = currentCapture();
  if (!capture) return;
  await stopRecording();
  await commitWeight();
  await app.outbox.finish(capture.localId);
  app.lastFinished = { orderId: capture.orderId, codes: [capture.orderId, capture.scannedCode].filter(Boolean), at: Date.now() };
  setCurrent(null);
  $('weight-input').value = '';
  delete $('weight-input').dataset.touched;
}

async function done() {
  const capture = currentCapture();
  if (!capture) return show('scan');
  if (capture.kind === 'unboxing' && !capture.fields.outcome && !app.outcomeWarned) {
    app.outcomeWarned = true;
    renderCapture();
    $('outcomes').scrollIntoView({ behavior: 'smooth', block: 'center' });
    toast('outcome.missing', {}, { tone: 'warn' });
    return;
  }
  // A weight far off is the one fact a dispute turns on: Done asks before it goes out like that.
  await commitWeight();
  const verdict = weightVerdict(capture);
  if (verdict.status === 'off') {
    const finish = await ask({ key: 'ask.weightOff', params: verdict.params, yes: 'ask.finishAnyway', no: 'ask.checkWeight' });
    if (!finish) {
      $('weight-input').scrollIntoView({ behavior: 'smooth', block: 'center' });
      return;
    }
    // The capture may have been finished meanwhile (a code scanned while the question was open).
    if (currentCapture() !== capture) return;
  }
  await finishCurrent();
  toast('capture.saved', { orderId: capture.orderId });
  show('scan');
}

// ---------- home: scan, recent ----------

function renderScan() {
  for (const button of document.querySelectorAll('[data-mode]')) {
    button.setAttribute('aria-checked', String(button.dataset.mode === settings.mode));
  }
  renderRecent();
}

function renderRecent() {
  const list = $('recent');
  const pending = app.outbox.list().map(({ capture, files }) => {
    const left = files.filter((file) => !file.confirmed).length;
    return el(
      'li',
      { dataset: { state: 'pending', order: capture.orderId } },
      el('strong', { textContent: capture.orderId }),
      el('span', { textContent: `${t(`mode.${capture.kind}`)} · ${whenText(capture.openedAt)}` }),
      el('span', {
        className: 'state',
        textContent: capture.localId === app.current ? t('recent.open') : left ? t('recent.uploading', { count: left }) : t('recent.finishing'),
      }),
    );
  });
  const done = readHistory().slice(0, 10).map((entry) =>
    el(
      'li',
      { dataset: { state: 'safe', order: entry.orderId, captureId: entry.captureId ?? '' } },
      el('strong', { textContent: entry.orderId }),
      el('span', { textContent: `${t(`mode.${entry.kind}`)} · ${whenText(entry.finishedAt)} · ${t('capture.fileCountShort', { count: entry.files.length })}` }),
      el('span', { className: 'state', textContent: t('recent.safe') }),
    ));
  list.replaceChildren(...pending, ...done);
  if (!pending.length && !done.length) list.append(el('li', { className: 'empty', textContent: t('recent.none') }));
}

// ---------- outbox chip and sheet ----------

let chipTimer = null;
function scheduleChip() {
  if (chipTimer) return;
  chipTimer = setTimeout(() => {
    chipTimer = null;
    renderChip();
    if (!$('sheet-outbox').hidden) renderOutbox();
    if (app.screen === 'scan') renderRecent();
    if (app.screen === 'pair') renderPair();
  }, 150);
}

function renderChip() {
  if (!app.outbox) return;
  const summary = app.outbox.summary();
  const chip = $('outbox-chip');
  let state = 'safe';
  let text = t('outbox.allSafe');
  if (summary.failed || summary.state === 'unauthorized') {
    state = 'failed';
    text = t('outbox.failedChip', { count: summary.pending });
  } else if (summary.pending) {
    state = summary.state === 'offline' || summary.state === 'retrying' ? 'offline' : 'sending';
    text =
      state === 'offline'
        ? t('outbox.offlineChip', { count: summary.pending })
        : summary.bytesLeft
          ? t('outbox.sendingChip', { count: summary.pending, size: bytesText(summary.bytesLeft) })
          : t('outbox.pendingChip', { count: summary.pending });
  }
  chip.dataset.state = state;
  chip.dataset.pending = String(summary.pending);
  chip.querySelector('.chip-text').textContent = text;
  chip.querySelector('.chip-bar span').style.width = `${Math.round(summary.progress * 100)}%`;
  chip.querySelector('.chip-bar').hidden = !summary.bytesLeft;
}

function errorAdvice(error) {
  const code = error?.code;
  if (code === 'PAYLOAD_TOO_LARGE' || error?.status === 413) return t('error.tooLarge');
  if (code === 'UNSUPPORTED_MEDIA_TYPE' || code === 'UNPROCESSABLE_MEDIA' || code === 'IMAGE_TOO_LARGE') return t('error.refusedType');
  if (code === 'HASH_MISMATCH') return t('error.mismatch');
  if (code === 'INSUFFICIENT_STORAGE' || error?.status === 507) return t('error.serverFull');
  return t('error.generic', { message: error?.message ?? '' });
}

function statusText(summary) {
  if (summary.state === 'unauthorized') return t('outbox.unauthorized');
  if (summary.failed) return t('outbox.needsAttention', { count: summary.failed });
  if (summary.state === 'offline') return t('outbox.offline');
  if (summary.state === 'retrying') {
    const seconds = Math.max(1, Math.round(((summary.retryAt ?? Date.now()) - Date.now()) / 1000));
    return `${errorAdvice(summary.error)} ${t('outbox.retryIn', { seconds })}`;
  }
  if (!summary.pending) return t('outbox.nothing');
  if (summary.recording && summary.state === 'waiting') return t('outbox.recording');
  return t('outbox.sending', { size: bytesText(summary.bytesLeft) });
}

function renderOutbox() {
  const summary = app.outbox.summary();
  $('outbox-status').textContent = statusText(summary);
  $('outbox-status').dataset.state = summary.state;
  $('retry-button').hidden = !summary.pending;
  const list = $('outbox-list');
  list.replaceChildren(
    ...app.outbox.list().map(({ capture, files }) => {
      const lines = [];
      if (capture.error) lines.push(el('p', { className: 'error', textContent: t('outbox.captureRefused', { message: capture.error.message }) }));
      else if (!capture.serverId) lines.push(el('p', { textContent: t('outbox.notCreated') }));
      if (capture.fieldsError) lines.push(el('p', { className: 'error', textContent: t('outbox.detailsRefused', { message: capture.fieldsError.message }) }));
      for (const file of files) {
        const label = `${t(`file.${file.kind}`)} · ${bytesText(file.bytes)}`;
        let state;
        if (file.confirmed) state = t('file.safe');
        else if (file.error) state = errorAdvice(file.error);
        else if (!file.complete) state = t('file.recording', { percent: file.bytes ? Math.floor((file.offset / file.bytes) * 100) : 0 });
        else state = t('file.sent', { percent: file.bytes ? Math.floor((file.offset / file.bytes) * 100) : 0 });
        const actions = file.error
          ? [
              el('button', { type: 'button', className: 'small', textContent: t('file.save'), onclick: () => saveToPhone(file) }),
              el('button', {
                type: 'button',
                className: 'small danger',
                textContent: t('file.discard'),
                onclick: async () => {
                  if (confirm(t('file.discardConfirm'))) await app.outbox.discardFile(file.fileId);
                },
              }),
            ]
          : [];
        lines.push(
          el('div', { className: `file${file.error ? ' error' : file.confirmed ? ' safe' : ''}` }, el('span', { textContent: label }), el('span', { textContent: state }), ...actions),
        );
      }
      if (capture.finishRequested) lines.push(el('p', { className: 'hint', textContent: t('outbox.willFinish') }));
      return el(
        'li',
        { dataset: { order: capture.orderId } },
        el('strong', { textContent: `${capture.orderId} · ${t(`mode.${capture.kind}`)} · ${whenText(capture.openedAt)}` }),
        ...lines,
      );
    }),
  );
  if (!list.children.length) list.append(el('li', { className: 'empty', textContent: t('outbox.nothing') }));
}

async function saveToPhone(file) {
  const blob = await app.outbox.readFile(file.fileId);
  const link = el('a', { href: URL.createObjectURL(new Blob([blob], { type: file.type })), download: file.name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}

// ---------- settings ----------

function renderSettings() {
  const form = $('settings-form');
  form.station.value = settings.station;
  // The shop's tolerance, when the server gives one, is the rule; the phone's own is then not asked for.
  form.tolerancePercent.value = String(tolerancePercent());
  form.tolerancePercent.disabled = typeof app.me?.shop?.weightTolerancePercent === 'number';
  form.idleMinutes.value = String(settings.idleMinutes);
  form.autoRecord.checked = settings.autoRecord;
  const device = getDevice();
  $('settings-device').textContent = device ? t('settings.device', { name: device.name }) : '';
  $('unpair-button').hidden = !getToken();
}

// ---------- wiring ----------

function wire() {
  $('language').addEventListener('change', (event) => {
    setLanguage(event.target.value);
    clockFormat = undefined;
    applyTranslations();
    sayAgain();
    render();
    if (!$('sheet-outbox').hidden) renderOutbox();
    if (!$('sheet-settings').hidden) renderSettings();
  });
  $('outbox-chip').addEventListener('click', () => openSheet('sheet-outbox'));
  $('settings-button').addEventListener('click', () => openSheet('sheet-settings'));
  for (const button of document.querySelectorAll('.close-sheet')) button.addEventListener('click', closeSheets);
  $('retry-button').addEventListener('click', () => app.outbox.retryNow());

  $('pair-scan').addEventListener('click', () => {
    app.pairScanning = !app.pairScanning;
    renderPair();
    updateCamera();
  });
  $('pair-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const text = $('pair-input').value.trim();
    const code = pairingCodeFrom(text) ?? text;
    if (code) void pair(code);
  });

  for (const button of document.querySelectorAll('[data-mode]')) {
    button.addEventListener('click', () => {
      settings.mode = button.dataset.mode;
      saveSettings();
      renderScan();
    });
  }
  $('camera-start').addEventListener('click', () => updateCamera());
  $('order-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = $('order-input').value;
    $('order-input').blur();
    void openOrder(value);
  });

  const weightInput = $('weight-input');
  weightInput.addEventListener('input', () => {
    weightInput.dataset.touched = '1';
    renderWeight();
  });
  weightInput.addEventListener('change', () => void commitWeight());
  weightInput.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      weightInput.blur();
    }
  });
  for (const button of document.querySelectorAll('[data-unit]')) {
    button.addEventListener('click', async () => {
      settings.unit = button.dataset.unit;
      saveSettings();
      weightInput.dataset.touched = '1';
      for (const other of document.querySelectorAll('[data-unit]')) other.setAttribute('aria-checked', String(other === button));
      await commitWeight();
      renderWeight();
    });
  }

  $('record-button').addEventListener('click', () => (app.recording ? stopRecording() : startRecording()));
  $('photo-button').addEventListener('click', () => (app.stream ? photo() : $('native-input').click()));
  $('native-input').addEventListener('change', async (event) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    await nativeFile(file);
  });
  $('done-button').addEventListener('click', () => void done());
  $('notice-dismiss').addEventListener('click', async () => {
    const capture = currentCapture();
    if (capture) await app.outbox.updateCapture(capture.localId, { interruptionsSeen: interruptionsOf(capture) });
    renderCapture();
  });

  $('ask-yes').addEventListener('click', () => answerAsk(true));
  $('ask-no').addEventListener('click', () => answerAsk(false));
  $('ask').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') answerAsk(false);
  });
  // Nothing on the page sits under the fixed action bar: the page ends the bar's height above it.
  new ResizeObserver(() => {
    const height = $('actions').hidden ? 0 : $('actions').getBoundingClientRect().height;
    document.body.style.setProperty('--actions-height', `${Math.ceil(height)}px`);
  }).observe($('actions'));

  $('settings-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = event.target;
    const tolerance = parseWeight(form.tolerancePercent.value);
    const idle = parseWeight(form.idleMinutes.value);
    settings.station = form.station.value.trim();
    if (!form.tolerancePercent.disabled && tolerance !== null && tolerance <= 50) settings.tolerancePercent = tolerance;
    if (idle !== null && idle <= 240) settings.idleMinutes = idle;
    settings.autoRecord = form.autoRecord.checked;
    saveSettings();
    closeSheets();
    toast('settings.saved');
    render();
  });
  $('unpair-button').addEventListener('click', () => {
    const pending = app.outbox.summary().pending;
    if (!confirm(pending ? t('settings.unpairPending', { count: pending }) : t('settings.unpairConfirm'))) return;
    forgetSession();
    closeSheets();
    show('pair');
  });

  listenForScanner((code) => void (app.screen === 'pair' && !pairingCodeFrom(code) ? null : openOrder(code)), {
    ignore: (element) => element === $('order-input') || element === $('pair-input'),
  });

  for (const type of ['pointerdown', 'keydown', 'input']) {
    addEventListener(type, () => (app.lastActivity = Date.now()), { capture: true, passive: true });
  }
  // An open capture left alone stops itself, so a forgotten phone does not record all afternoon.
  setInterval(async () => {
    const capture = currentCapture();
    if (!capture || Date.now() - app.lastActivity < settings.idleMinutes * 60_000) return;
    await finishCurrent();
    show('scan');
    toast('capture.idleStopped', { orderId: capture.orderId, minutes: number(settings.idleMinutes) }, { long: true, tone: 'warn' });
  }, 5000);

  document.addEventListener('visibilitychange', () => updateCamera());
  addEventListener('beforeunload', (event) => {
    if (app.recording) event.preventDefault();
  });
  onUnauthorized(unpaired);
}

function resumeOrHome() {
  const stored = localStorage.getItem(CURRENT_KEY);
  const capture = stored ? app.outbox.get(stored) : undefined;
  if (capture && !capture.finishRequested) {
    setCurrent(capture.localId);
    app.orderState = capture.order ? 'loaded' : 'loading';
    show('capture');
    if (!capture.order) void loadOrder(capture.localId);
    return;
  }
  setCurrent(null);
  show('scan');
}

/** One tab owns the outbox; a second one waits instead of uploading the same files twice. */
function holdAppLock() {
  if (!navigator.locks) return Promise.resolve();
  return new Promise((resolve) => {
    navigator.locks.request('packtrail-app', { ifAvailable: true }, (lock) => {
      if (lock) {
        resolve();
        return new Promise(() => {});
      }
      document.body.replaceChildren(el('p', { className: 'other-tab', textContent: t('app.otherTab') }));
      navigator.locks.request('packtrail-app', () => location.reload());
      return undefined;
    });
  });
}

async function boot() {
  applyTranslations();
  await holdAppLock();
  if ('serviceWorker' in navigator && globalThis.isSecureContext) {
    navigator.serviceWorker.register('sw.js', { scope: './' }).catch((error) => console.warn('service worker', error));
  }
  navigator.storage?.persist?.().catch(() => {});
  app.outbox = await createOutbox({ store: await openStore() });
  app.outbox.subscribe(scheduleChip);
  wire();

  // The pairing link's code is single-use: take it out of the address bar at once.
  const code = pairingCodeFrom(location.hash);
  if (code) history.replaceState(null, '', location.pathname + location.search);

  globalThis.__packtrail = {
    summary: () => app.outbox.summary(),
    pending: () => app.outbox.list(),
    history: readHistory,
    recorded: () => app.recorded,
    current: () => currentCapture() ?? null,
    getDetector,
    settings,
    ready: true,
  };

  if (code) return pair(code);
  if (!getToken()) return show('pair');
  void loadMe();
  resumeOrHome();
  app.outbox.kick();
  // The barcode reader is fetched in the background so the first scan is quick.
  if (liveCameraAvailable()) setTimeout(() => getDetector().catch(() => {}), 1500);
}

boot().catch((error) => {
  console.error(error);
  document.body.append(el('p', { className: 'fatal', textContent: `${t('app.failed')} ${error?.message ?? error}` }));
});
