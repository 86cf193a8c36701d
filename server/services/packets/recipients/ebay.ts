// eBay: evidence images only (JPEG or PNG, at most 1.5 MB each, up to 10 per case), so videos go as
// sheets of stills; the text goes in the case's note box, which takes 1,000 characters.
import { allText, plainFacts } from './common';
import { MB, type RecipientProfile } from '../profile';

const NOTE_LIMIT = 1_000;

export const ebay: RecipientProfile = {
  recipient: 'ebay',
  accepts: { photos: ['jpeg', 'png'], videos: [], pdf: false },
  limits: { maxFileBytes: 1.5 * MB, maxFiles: 10, maxTextCharacters: NOTE_LIMIT },
  photosInPdf: false,
  maxVideos: 0,
  continuousVideo: false,
  allowsLink: true,
  wantedPhotos: ['label_closeup'],
  deadlineRule: 'respond_by',
  suggested: (facts) => facts.dispute.counterparty === 'marketplace' && /ebay/i.test(facts.order.channel ?? ''),
  fields: (input) => ({ note: input.narrative.summary(NOTE_LIMIT), ...plainFacts(input) }),
  textOf: (fields) => allText(fields.note),
};
