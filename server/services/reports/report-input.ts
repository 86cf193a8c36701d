// What a dispute report or a courier claim letter is made from: plain data gathered by the bundle
// service, so rendering needs no database and can be tested with made-up input.
import type { MediaView } from '../media-view';
import type { OrderSummary } from '../orders.service';
import type { CaptureView } from '../captures.service';
import type { WeightAssessment } from '../weights';
import type { ClaimChecklist } from '../claims/claim-checklist';
import type { CaptureFacts } from '../ledger/verifier/verify-core';
import type { ClaimKind, ClaimPhotoKind, Counterparty, DisputeReason, DisputeStatus, Language } from '../../domain/vocabulary';

export interface DisputeFacts {
  id: string;
  reason: DisputeReason;
  counterparty: Counterparty;
  reference?: string;
  amount?: { value: number; currency: string };
  respondBy?: string;
  status: DisputeStatus;
  note?: string;
  /** What the courier is told happened (damage claims). */
  damageDescription?: string;
  createdAt: string;
}

/** One original in the bundle, with what the report shows of it. */
export interface EvidenceItem {
  media: MediaView;
  caption?: string;
  /** Path of the original inside the bundle, e.g. "media/03-packing-photo-1a2b3c4d.jpg". */
  bundlePath: string;
  /**
   * A local file with the original's bytes (read-only), lent while the document renders: for photos, and
   * for videos without `stills`; absent otherwise, or when the original could not be read.
   */
  originalPath?: string;
  /** An upright JPEG of a photo, or a video's poster, for the page; absent when none could be made. */
  previewPath?: string;
  /** For videos: frames every few seconds, with their offset from the start. */
  stills?: { offsetMs: number; path: string }[];
  /** A WebM video's MP4 copy in the bundle (many players open no WebM): a derived file, not an original. */
  playbackCopy?: { bundlePath: string };
  /** A photo's courier tags set after its capture finished, with when (claims/tag-history.ts); absent when none. */
  labelledAfterRecording?: { tag: ClaimPhotoKind; at: string }[];
}

export interface ReportInput {
  language: Language;
  shop: { name: string; timezone: string };
  generatedAt: string;
  dispute: DisputeFacts;
  order: OrderSummary;
  /** Oldest first, media included (all of the order's captures, for the timeline). */
  captures: CaptureView[];
  /** Each weighed capture's assessment against the order's items (weights.ts assessCaptureWeights). */
  weights: { captureId: string; assessment: WeightAssessment }[];
  /** What the seller picked, in their order. */
  evidence: EvidenceItem[];
  ledger: {
    origin: string;
    checkpointSize: number;
    rootHash: string;
    verifierKey: string;
    /** The absolute address where the shop publishes its key; null when the export knew of none a stranger can reach. */
    keyUrl?: string | null;
    /** Each capture's facts as its log entry holds them; a capture not listed has no facts in the log. */
    captureFacts?: { captureId: string; leafIndex: number; facts: CaptureFacts }[];
    /** The checkpoint's RFC 3161 time-stamp; null when none (then every time rests on the shop's own server clock). */
    timestamp?: { genTime: string; tsa: string; certificateSha256: string } | null;
  };
}

/** A courier claim letter: the dispute's report input plus who shipped to whom, and what is claimed. */
export interface ClaimInput extends ReportInput {
  shipper: { name: string; address?: string; phone?: string };
  consignee: { name: string; address?: string };
  claimKind: ClaimKind;
  /** Shipped across a border: FedEx then allows 21 days for damage instead of 60. */
  international?: boolean;
  /** The filing deadline and the photo checklist, as the bundle service assessed them. */
  checklist: ClaimChecklist;
}
