// Coupang: JPG, GIF, PNG, AVI, MP4 or WMV up to 30 MB (counted here for the files together, the safe
// reading); for items of ₩50,000 and more it wants the unboxing video showing the waybill, one
// continuous recording, so a video is re-encoded to fit but never cut. The description box is kept
// within 1,000 characters.
import { allText, plainFacts } from './common';
import { MB, type RecipientProfile } from '../profile';

const DESCRIPTION_LIMIT = 1_000;

export const coupang: RecipientProfile = {
  recipient: 'coupang',
  accepts: { photos: ['jpeg', 'png', 'gif'], videos: ['mp4', 'avi', 'wmv'], pdf: false },
  limits: { maxFileBytes: 30 * MB, maxTotalBytes: 30 * MB, maxFiles: 10, maxTextCharacters: DESCRIPTION_LIMIT },
  photosInPdf: false,
  maxVideos: 1,
  continuousVideo: true,
  allowsLink: true,
  wantedPhotos: ['label_closeup'],
  deadlineRule: 'coupang',
  suggested: (facts) => facts.dispute.counterparty === 'marketplace' && /coupang/i.test(facts.order.channel ?? ''),
  fields: (input) => ({ description: input.narrative.summary(DESCRIPTION_LIMIT), ...plainFacts(input) }),
  textOf: (fields) => allText(fields.description),
};
