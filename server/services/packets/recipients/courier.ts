// The courier's claim: the existing claim packet (claim letter, originals unchanged, verification kit)
// as one profile of the mechanism. Couriers publish no file limits; their deadline is the claim terms'
// (claims/claim-deadlines.ts), and they ask for the photo set of claims/claim-photos.ts.
import { claimPhotoKinds } from '../../../domain/vocabulary';
import { allText, plainFacts } from './common';
import type { RecipientProfile } from '../profile';

export const courier: RecipientProfile = {
  recipient: 'courier',
  accepts: { photos: ['jpeg', 'png', 'gif'], videos: ['mp4'], pdf: true },
  limits: {},
  photosInPdf: false,
  maxVideos: Number.POSITIVE_INFINITY,
  continuousVideo: true,
  allowsLink: true,
  wantedPhotos: [...claimPhotoKinds],
  deadlineRule: 'courier',
  claimPacket: true,
  suggested: (facts) => facts.dispute.counterparty === 'courier',
  fields(input) {
    const { facts } = input;
    const deadline = facts.claim.deadline;
    return {
      claimKind: facts.claim.claimKind,
      shipper: facts.shopName,
      ...(facts.order.buyer?.name ? { consignee: facts.order.buyer.name } : {}),
      ...(facts.order.declaredValue ? { declaredValue: `${facts.order.declaredValue.amount} ${facts.order.declaredValue.currency}` } : {}),
      ...(facts.dispute.damageDescription ? { whatHappened: facts.dispute.damageDescription } : {}),
      ...(deadline.deadline ? { fileBy: deadline.deadline } : {}),
      description: input.narrative.text,
      ...plainFacts(input),
    };
  },
  textOf: (fields) => allText(fields.description),
};
