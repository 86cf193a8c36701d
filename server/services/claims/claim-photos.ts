// Which of the photos couriers require are among a claim's evidence: the courier-claim checklist as
// data (kinds, present or missing, evidence numbers), for the claim letter and the dashboard alike.
//
// A requirement is present only when a photo among the evidence carries its tag (media-tags.ts: one tap
// in the packer app, or PUT /media/:id/tags). Nothing else counts: not a packing video (a claims agent
// asked for a photo of the sealed box cannot be sent to minute 3 of a recording), not words or
// hashtags in a caption (no one is told about them, and a guess that ticks a box on a claim is worse
// than a gap the seller can fill by tagging the photo), not a tag on a video.
//
// A tag can be set after the recording finished (a seller labelling photos while writing the claim):
// the tags a capture had when it finished are in its facts entry in the log, a later one is not, so
// the checklist says which ticks rest on a later label, and when it was set (claims/tag-history.ts).
// And one file counted twice is one photo: evidence items with the same SHA-256 are named together.
import type { MediaView } from '../media-view';
import { claimPhotoKinds, type ClaimKind, type ClaimPhotoKind } from '../../domain/vocabulary';

/** One picked evidence item, as much of it as the checklist reads. */
export interface ClaimEvidence {
  media: Pick<MediaView, 'type' | 'tags'> & Partial<Pick<MediaView, 'sha256'>>;
  /** Its tags set after its capture finished, each with when it was last set (claims/tag-history.ts); absent or empty when none. */
  labelledAfterRecording?: readonly { tag: ClaimPhotoKind; at: string }[];
}

export interface ClaimPhotoCheck {
  kind: ClaimPhotoKind;
  /** Whether couriers ask for it with this kind of claim (damage photos make no sense for a lost parcel). */
  required: boolean;
  present: boolean;
  /** Evidence numbers (E1 = the first evidence item) of the photos tagged with it. */
  evidence: number[];
  /** Those of `evidence` whose tag for it was set after the recording finished, with when (ISO time). */
  labelledLater: { evidence: number; at: string }[];
}

/** Couriers ask for damage and all-sides photos with a damage claim only; the rest with both kinds. */
export const isRequired = (kind: ClaimPhotoKind, claimKind: ClaimKind) => claimKind === 'damage' || (kind !== 'damage' && kind !== 'all_sides');

/** Which of the photos couriers want are among the evidence: tagged photos, and nothing else. */
export function assessClaimPhotos(input: { evidence: readonly ClaimEvidence[]; claimKind: ClaimKind }): ClaimPhotoCheck[] {
  return claimPhotoKinds.map((kind): ClaimPhotoCheck => {
    const evidence = input.evidence.flatMap((item, index) => (item.media.type === 'photo' && item.media.tags.includes(kind) ? [index + 1] : []));
    const labelledLater = evidence.flatMap((number) => {
      const later = input.evidence[number - 1].labelledAfterRecording?.find((label) => label.tag === kind);
      return later ? [{ evidence: number, at: later.at }] : [];
    });
    return { kind, required: isRequired(kind, input.claimKind), present: evidence.length > 0, evidence, labelledLater };
  });
}

/** Evidence numbers of items that are the same file (same SHA-256), each group in order, only groups of two or more. */
export function sameFiles(evidence: readonly ClaimEvidence[]): number[][] {
  const groups = new Map<string, number[]>();
  evidence.forEach((item, index) => {
    if (!item.media.sha256) return;
    groups.set(item.media.sha256, [...(groups.get(item.media.sha256) ?? []), index + 1]);
  });
  return [...groups.values()].filter((numbers) => numbers.length > 1);
}
