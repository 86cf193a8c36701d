// Amazon: an A-to-z claim is answered in text, with files sent through Buyer-Seller Messages (at most
// 5 attachments, 10 MB together); a SAFE-T claim wants photos of the parcel's sides, its packaging and
// the invoice. JPEG, PNG, GIF or PDF. The reply box is kept within 4,000 characters.
import { allText, plainFacts } from './common';
import { MB, type RecipientProfile } from '../profile';

const REPLY_LIMIT = 4_000;

export const amazon: RecipientProfile = {
  recipient: 'amazon',
  accepts: { photos: ['jpeg', 'png', 'gif'], videos: [], pdf: true },
  limits: { maxFileBytes: 10 * MB, maxTotalBytes: 10 * MB, maxFiles: 5, maxTextCharacters: REPLY_LIMIT },
  photosInPdf: false,
  maxVideos: 0,
  continuousVideo: false,
  allowsLink: true,
  wantedPhotos: ['label_closeup', 'packing_outside', 'all_sides'],
  deadlineRule: 'amazon',
  suggested: (facts) => facts.dispute.counterparty === 'marketplace' && /amazon/i.test(facts.order.channel ?? ''),
  fields: (input) => ({ reply: input.narrative.summary(REPLY_LIMIT), ...plainFacts(input) }),
  textOf: (fields) => allText(fields.reply),
};
