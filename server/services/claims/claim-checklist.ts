// The courier-claim checklist as data: the filing deadline under the carrier's terms, which of the
// photos couriers require are present, and the claim's dates that contradict each other. The claim
// letter prints it; the dashboard shows it.
import type { ClaimKind } from '../../domain/vocabulary';
import type { CaptureView } from '../captures.service';
import type { MediaView } from '../media-view';
import { claimDeadlineForOrder, type ClaimDeadline } from './claim-deadlines';
import { assessClaimDates, type DateConflict } from './claim-dates';
import { assessClaimPhotos, sameFiles, type ClaimEvidence, type ClaimPhotoCheck } from './claim-photos';

export interface ClaimChecklist {
  claimKind: ClaimKind;
  deadline: ClaimDeadline;
  photos: ClaimPhotoCheck[];
  /** Evidence numbers of items that are one and the same file (same SHA-256), by group; empty when none. */
  sameFiles: number[][];
  /** Empty when the dates agree. */
  dateConflicts: DateConflict[];
}

/** A parcel that never arrived is a loss claim; anything else a courier is told about is damage. */
export const defaultClaimKind = (reason: string): ClaimKind => (reason === 'not_received' ? 'loss' : 'damage');

/** The packing capture whose weight a claim states: the last one weighed. */
export function weighedPacking<T extends Pick<CaptureView, 'kind' | 'weightGrams'>>(captures: readonly T[]): T | undefined {
  return captures.filter((capture) => capture.kind === 'packing' && capture.weightGrams !== undefined).at(-1);
}

type ChecklistCapture = Pick<CaptureView, 'id' | 'kind' | 'startedAt' | 'weightGrams'>;

export function claimChecklist(input: {
  order: { carrier?: string; shippedAt?: string; deliveredAt?: string };
  /** All of the order's captures, oldest first. */
  captures: readonly ChecklistCapture[];
  evidence: readonly (ClaimEvidence & { media: Pick<MediaView, 'captureId'> })[];
  timezone: string;
  claimKind: ClaimKind;
  /** When the courier dispute was opened. */
  claimOpenedAt: string;
  /** The letter's date (now, for the dashboard). */
  letterDate: string;
  international?: boolean;
}): ClaimChecklist {
  // The dates checked are those the claim rests on: its evidence's captures and the weight it states
  // (another packing of the same order, say a replacement sent later, is not this parcel's).
  const evidenceCaptures = new Set(input.evidence.map((item) => item.media.captureId));
  const weighed = weighedPacking(input.captures);
  const restsOn = input.captures.filter((capture) => evidenceCaptures.has(capture.id) || capture === weighed);
  return {
    claimKind: input.claimKind,
    deadline: claimDeadlineForOrder(input),
    photos: assessClaimPhotos(input),
    sameFiles: sameFiles(input.evidence),
    dateConflicts: assessClaimDates({ ...input, captures: restsOn }),
  };
}
