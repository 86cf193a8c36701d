// The courier-claim checklist as data: the filing deadline under the carrier's terms and which of the
// photos couriers require are present. The claim letter prints it; the dashboard shows it.
import type { ClaimKind } from '../../domain/vocabulary';
import { claimDeadlineForOrder, type ClaimDeadline } from './claim-deadlines';
import { assessClaimPhotos, type ClaimEvidence, type ClaimPhotoCheck } from './claim-photos';
import type { CaptureView } from '../captures.service';

export interface ClaimChecklist {
  claimKind: ClaimKind;
  deadline: ClaimDeadline;
  photos: ClaimPhotoCheck[];
}

export function claimChecklist(input: {
  order: { carrier?: string; shippedAt?: string; deliveredAt?: string };
  captures: readonly Pick<CaptureView, 'id' | 'kind' | 'checklist' | 'startedAt'>[];
  evidence: readonly ClaimEvidence[];
  timezone: string;
  claimKind: ClaimKind;
  international?: boolean;
}): ClaimChecklist {
  return {
    claimKind: input.claimKind,
    deadline: claimDeadlineForOrder(input),
    photos: assessClaimPhotos(input),
  };
}
