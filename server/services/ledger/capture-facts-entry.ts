// The ledger entry of a finished capture's facts: written here, read by verifier/verify-core.js
// (parseCaptureFacts), which every verifier runs. Each entry is parsed back before it is appended,
// so the log never holds facts the verifiers could not read.
import { CAPTURE_FACTS_FORMAT, parseCaptureFacts, UTC_TIME } from './verifier/verify-core';

export interface CaptureFactsInput {
  captureId: string;
  /** The order's external ID (the marketplace's), as in the media entries. */
  orderId: string;
  kind: string;
  recordedBy: { kind: 'device' | 'user'; id: string; name: string } | null;
  station: string | null;
  /** Server times, ISO 8601 UTC, exactly as stored on the capture. */
  startedAt: string;
  finishedAt: string;
  /** Grams as stored, and the value and unit the packer typed. */
  weight: { grams: number; value: number; unit: string } | null;
  /** What the order should weigh (items and packaging) when the capture finished; null when unknown. */
  expectedGrams: number | null;
  /** The shop's weight tolerance when the capture finished, in percent; written with a weight only (it judges nothing else). */
  tolerancePercent?: number | null;
  trackingNumber: string | null;
  checklist: { item: string; result: string; note?: string | null; mediaIds?: string[] }[];
  outcome: string | null;
  note: string | null;
  /** Every media of the capture, in the order received, with a photo's courier tags (claimPhotoKinds codes) at finish. */
  media: { id: string; sha256: string; tags?: readonly string[] }[];
}

const word = /^[^\s\p{Cc}]+$/u;
const oneLine = /^[^\p{Cc}]+$/u;

function wordOf(name: string, value: unknown): string {
  if (typeof value !== 'string' || !word.test(value)) throw new TypeError(`capture facts ${name} must be one word without spaces`);
  return value;
}

function decimalOf(name: string, value: unknown): string {
  const text = String(value);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || !/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(text)) {
    throw new TypeError(`capture facts ${name} must be a plain decimal number`);
  }
  return text;
}

function timeOf(name: string, value: string): string {
  if (!UTC_TIME.test(value) || Number.isNaN(Date.parse(value))) throw new TypeError(`capture facts ${name} must be an ISO 8601 UTC time`);
  return value;
}

/** Typed text as a JSON string: one line whatever it holds. Empty text is no fact, so no line. */
const quoted = (value: string | null | undefined): string | null => (value ? JSON.stringify(value) : null);

export function formatCaptureFactsEntry(input: CaptureFactsInput): string {
  const lines: string[] = [CAPTURE_FACTS_FORMAT];
  const add = (name: string, value: string | null) => {
    if (value !== null) lines.push(`${name} ${value}`);
  };
  add('capture', wordOf('captureId', input.captureId));
  if (!oneLine.test(input.orderId)) throw new TypeError('capture facts orderId must be one non-empty line');
  add('order', input.orderId);
  add('kind', wordOf('kind', input.kind));
  if (input.recordedBy) {
    add('recorded-by', `${input.recordedBy.kind === 'device' ? 'device' : 'user'} ${wordOf('recordedBy.id', input.recordedBy.id)}`);
    add('recorded-by-name', quoted(input.recordedBy.name));
  }
  add('station', quoted(input.station));
  add('started', timeOf('startedAt', input.startedAt));
  add('finished', timeOf('finishedAt', input.finishedAt));
  if (input.weight) {
    add('weight-grams', decimalOf('weight grams', input.weight.grams));
    add('weight-entered', `${decimalOf('weight value', input.weight.value)} ${wordOf('weight unit', input.weight.unit)}`);
  }
  if (input.expectedGrams !== null) add('expected-grams', decimalOf('expected grams', input.expectedGrams));
  if (input.weight && input.tolerancePercent !== null && input.tolerancePercent !== undefined) {
    add('tolerance-percent', decimalOf('tolerance percent', input.tolerancePercent));
  }
  add('tracking', quoted(input.trackingNumber));
  for (const check of input.checklist) {
    const item = quoted(check.item);
    if (item === null) throw new TypeError('a checklist item is never empty');
    add('check', `${wordOf('checklist result', check.result)} ${item}`);
    add('check-note', quoted(check.note));
    for (const mediaId of check.mediaIds ?? []) add('check-media', wordOf('checklist media ID', mediaId));
  }
  if (input.outcome !== null) add('outcome', wordOf('outcome', input.outcome));
  add('note', quoted(input.note));
  for (const media of input.media) {
    if (!/^[0-9a-f]{64}$/.test(media.sha256)) throw new TypeError('a media SHA-256 is 64 lower-case hex digits');
    add('media', `${wordOf('media ID', media.id)} ${media.sha256}`);
    if (media.tags && media.tags.length > 0) add('media-tags', media.tags.map((tag) => wordOf('media tag', tag)).join(','));
  }
  const entry = `${lines.join('\n')}\n`;
  parseCaptureFacts(entry);
  return entry;
}
