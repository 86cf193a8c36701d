// Shopee: one continuous, unedited unboxing video showing the airway bill, at most 30 MB and 1 minute,
// and photos of at most 10 MB each. A longer recording is never cut: the checklist says so instead.
// The reason box is kept within 500 characters.
import { allText, plainFacts } from './common';
import { MB, type RecipientProfile } from '../profile';

const REASON_LIMIT = 500;

export const shopee: RecipientProfile = {
  recipient: 'shopee',
  accepts: { photos: ['jpeg', 'png'], videos: ['mp4'], pdf: false },
  limits: { maxFileBytes: 30 * MB, maxPhotoBytes: 10 * MB, maxVideoBytes: 30 * MB, maxVideoSeconds: 60, maxFiles: 10, maxTextCharacters: REASON_LIMIT },
  photosInPdf: false,
  maxVideos: 1,
  continuousVideo: true,
  allowsLink: true,
  wantedPhotos: ['label_closeup'],
  deadlineRule: 'respond_by',
  // Shopee orders have no import channel: suggested for a marketplace dispute no other marketplace claims.
  suggested: (facts) => facts.dispute.counterparty === 'marketplace' && !/ebay|amazon|coupang/i.test(facts.order.channel ?? ''),
  fields: (input) => ({ reason: input.narrative.summary(REASON_LIMIT), ...plainFacts(input) }),
  textOf: (fields) => allText(fields.reason),
};
