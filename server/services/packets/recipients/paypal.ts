// PayPal: evidences by PayPal's evidence types (PROOF_OF_FULFILLMENT with the tracking, ITEM_DESCRIPTION,
// OTHER), each with notes and the documents to upload: JPG, GIF, PNG or PDF, under 10 MB a file and
// 50 MB a submission, at most 10 files. Notes are cut to whole sentences within 2,000 characters each.
import type { CarrierKey } from '../../../domain/vocabulary';
import { identifyCarrier } from '../../claims/claim-deadlines';
import { allText, filesOf } from './common';
import { MB, type RecipientProfile } from '../profile';

const NOTES_LIMIT = 2_000;
/**
 * PayPal's `carrier_name` is one of its own carrier codes, not free text: the carriers we recognise
 * map to theirs; any other carrier is OTHER with its name in `carrier_name_other`.
 */
const PAYPAL_CARRIERS: Partial<Record<CarrierKey, string>> = { ups: 'UPS', fedex: 'FEDEX', usps: 'USPS', dhl_express: 'DHL' };

function trackingInfo(carrier: string | undefined, trackingNumber: string) {
  const code = PAYPAL_CARRIERS[identifyCarrier(carrier)];
  if (code) return { carrier_name: code, tracking_number: trackingNumber };
  return { carrier_name: 'OTHER', ...(carrier ? { carrier_name_other: carrier } : {}), tracking_number: trackingNumber };
}
/** The photos' entry repeats only the opening facts. */
const PHOTO_NOTES_LIMIT = 500;

export const paypal: RecipientProfile = {
  recipient: 'paypal',
  accepts: { photos: ['jpeg', 'png', 'gif'], videos: [], pdf: true },
  limits: { maxFileBytes: 10 * MB - 1, maxTotalBytes: 50 * MB, maxFiles: 10, maxTextCharacters: NOTES_LIMIT + PHOTO_NOTES_LIMIT },
  photosInPdf: false,
  maxVideos: 0,
  continuousVideo: false,
  allowsLink: true,
  wantedPhotos: ['label_closeup'],
  deadlineRule: 'respond_by',
  suggested: (facts) => facts.dispute.counterparty === 'payment_processor',
  fields({ facts, narrative, files }) {
    const documents = (kinds: Parameters<typeof filesOf>[1][]) => filesOf(files, ...kinds).map((file) => ({ name: file.path }));
    const fulfilment = {
      evidence_type: 'PROOF_OF_FULFILLMENT',
      ...(facts.order.trackingNumbers.length
        ? { evidence_info: { tracking_info: facts.order.trackingNumbers.map((number) => trackingInfo(facts.order.carrier, number)) } }
        : {}),
      notes: narrative.summary(NOTES_LIMIT),
      documents: documents(['label', 'evidencePdf']),
    };
    const photos = documents(['photo', 'stills']);
    const described = facts.dispute.reason === 'not_as_described' || facts.dispute.reason === 'wrong_item';
    return {
      evidences: [
        fulfilment,
        ...(photos.length
          ? [{ evidence_type: described ? 'ITEM_DESCRIPTION' : 'OTHER', notes: narrative.summary(PHOTO_NOTES_LIMIT), documents: photos }]
          : []),
      ],
    };
  },
  textOf: (fields) => allText((fields.evidences as { notes: string }[]).map((evidence) => evidence.notes)),
};
