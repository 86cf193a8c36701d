// The facts a packet is made from, gathered once per request: the dispute, its order and captures, the
// weight verdicts, the picked evidence in the seller's order (E1, E2, …) and the courier photo checks.
// Plain data, no language: the narrative and checklist put it in words.
import type { CaptureKind } from '../../domain/vocabulary';
import type { CaptureView } from '../captures.service';
import { claimChecklist, defaultClaimKind, weighedPacking, type ClaimChecklist } from '../claims/claim-checklist';
import type { DisputesService } from '../disputes.service';
import type { MediaView } from '../media-view';
import { toMediaView } from '../media-view';
import type { OrderSummary } from '../orders.service';
import type { DisputeFacts } from '../reports/report-input';
import { assessCaptureWeights, type WeightAssessment } from '../weights';

export interface PacketEvidence {
  /** E1 = 1: the number the evidence has in every document of this dispute. */
  number: number;
  media: MediaView;
  caption?: string;
  captureKind: CaptureKind;
}

export interface PacketFacts {
  shopName: string;
  timezone: string;
  generatedAt: string;
  dispute: DisputeFacts & { orderId: string };
  order: OrderSummary;
  /** Oldest first. */
  captures: CaptureView[];
  weights: { captureId: string; assessment: WeightAssessment }[];
  evidence: PacketEvidence[];
  /** The courier photo checklist and filing deadline (claims/), which every packet's missing list reads. */
  claim: ClaimChecklist;
}

export function gatherFacts(
  disputes: Pick<DisputesService, 'get' | 'evidenceOriginals'>,
  disputeId: string,
  shop: { name: string; timezone: string },
  now: Date,
): PacketFacts {
  const { evidence: _links, order, ...dispute } = disputes.get(disputeId);
  const evidence = disputes.evidenceOriginals(disputeId).map((original, index): PacketEvidence => ({
    number: index + 1,
    media: toMediaView(original.row),
    ...(original.caption ? { caption: original.caption } : {}),
    captureKind: original.capture.kind,
  }));
  const claim = claimChecklist({
    order,
    captures: order.captures,
    evidence,
    timezone: shop.timezone,
    claimKind: defaultClaimKind(dispute.reason),
    claimOpenedAt: dispute.createdAt,
    letterDate: now.toISOString(),
  });
  return {
    shopName: shop.name,
    timezone: shop.timezone,
    generatedAt: now.toISOString(),
    dispute,
    order,
    captures: order.captures,
    weights: assessCaptureWeights(order, order.captures),
    evidence,
    claim,
  };
}

/** The packing capture whose weight the packet states: the last one weighed. */
export const packingOf = (facts: PacketFacts) => weighedPacking(facts.captures);

/** The return's opening (its unboxing capture), the last one recorded. */
export const unboxingOf = (facts: PacketFacts) => facts.captures.filter((capture) => capture.kind === 'unboxing').at(-1);

export const weightOf = (facts: PacketFacts, captureId: string | undefined) => facts.weights.find((entry) => entry.captureId === captureId)?.assessment;

const RETURN_REASONS = new Set(['return_damaged', 'return_used', 'return_missing_parts']);

/** A dispute about a return the seller received, rather than a parcel the seller sent. */
export const isReturnDispute = (facts: PacketFacts) => RETURN_REASONS.has(facts.dispute.reason);
