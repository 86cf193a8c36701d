// Stripe: the dispute's `evidence` object exactly as the API takes it (Stripe.DisputeUpdateParams.Evidence).
// Files are PDF, JPEG or PNG, at most 5 MB each and 4.5 MB together; the card networks cap the pages
// (Mastercard about 19, the lowest), so the evidence PDF stays within 19. Text fields together stay
// under 150,000 characters. Each file field takes one file: the evidence PDF is `uncategorized_file`,
// the label close-up `shipping_documentation`; until uploaded, they hold the packet's path.
import { itemsWithin } from '../narrative';
import { shipDate, filesOf, allText } from './common';
import { MB, type FieldsInput, type RecipientProfile } from '../profile';

/**
 * The evidence fields this packet fills, each one of Stripe's (tests/packets type-check it against
 * Stripe.DisputeUpdateParams.Evidence from the `stripe` package). File fields hold the packet's path until
 * the seller swaps in the file ID Stripe returns on upload.
 */
export interface StripeEvidence {
  product_description?: string;
  customer_name?: string;
  shipping_carrier?: string;
  shipping_tracking_number?: string;
  shipping_date?: string;
  shipping_address?: string;
  uncategorized_text?: string;
  shipping_documentation?: string;
  uncategorized_file?: string;
}

const FILE_FIELDS: (keyof StripeEvidence)[] = ['shipping_documentation', 'uncategorized_file'];
const TEXT_LIMIT = 150_000;
/**
 * Stripe's own per-field limits (the `stripe` package's Disputes.d.ts): product_description and
 * uncategorized_text "Has a maximum character count of 20,000". The other strings are short facts, held to
 * Stripe's general 5,000 for a string. Two long fields and five short ones stay under the 150,000 total
 * by construction.
 */
export const STRIPE_LONG_TEXT = 20_000;
export const STRIPE_SHORT_TEXT = 5_000;
const short = (text: string) => ([...text].length <= STRIPE_SHORT_TEXT ? text : `${[...text].slice(0, STRIPE_SHORT_TEXT - 1).join('')}…`);

export function stripeEvidence({ facts, narrative, files }: FieldsInput): StripeEvidence {
  const pdf = filesOf(files, 'evidencePdf')[0];
  const label = filesOf(files, 'label')[0];
  const buyer = facts.order.buyer?.name;
  const items = itemsWithin(facts, narrative.language, STRIPE_LONG_TEXT);
  return {
    ...(items ? { product_description: items } : {}),
    ...(buyer ? { customer_name: short(buyer) } : {}),
    ...(facts.order.carrier ? { shipping_carrier: short(facts.order.carrier) } : {}),
    ...(facts.order.trackingNumbers.length ? { shipping_tracking_number: short(facts.order.trackingNumbers.join(', ')) } : {}),
    ...(shipDate(facts) ? { shipping_date: shipDate(facts) } : {}),
    ...(facts.order.deliveryNote ? { shipping_address: short(facts.order.deliveryNote) } : {}),
    uncategorized_text: narrative.summary(STRIPE_LONG_TEXT),
    ...(label ? { shipping_documentation: label.path } : {}),
    ...(pdf ? { uncategorized_file: pdf.path } : {}),
  };
}

export const stripe: RecipientProfile = {
  recipient: 'stripe',
  accepts: { photos: ['jpeg', 'png'], videos: [], pdf: true },
  limits: { maxFileBytes: 5 * MB, maxTotalBytes: 4.5 * MB, maxPages: 19, maxTextCharacters: TEXT_LIMIT },
  photosInPdf: true,
  maxVideos: 0,
  continuousVideo: false,
  allowsLink: true,
  wantedPhotos: ['label_closeup'],
  deadlineRule: 'respond_by',
  suggested: (facts) => facts.dispute.counterparty === 'payment_processor',
  fields: (input) => ({ ...stripeEvidence(input) }),
  textOf: (fields) => allText(Object.fromEntries(Object.entries(fields).filter(([key]) => !(FILE_FIELDS as string[]).includes(key)))),
};
