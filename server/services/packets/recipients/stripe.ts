// Stripe: the dispute's `evidence` object exactly as the API takes it (Stripe.DisputeUpdateParams.Evidence).
// Files are PDF, JPEG or PNG, at most 5 MB each and 4.5 MB together; the card networks cap the pages
// (Mastercard about 19, the lowest), so the evidence PDF stays within 19. Text fields together stay
// under 150,000 characters. Each file field takes one file: the evidence PDF is `uncategorized_file`,
// the label close-up `shipping_documentation`; until uploaded, they hold the packet's path.
import { shipDate, itemsLine, filesOf, allText } from './common';
import { MB, type RecipientProfile } from '../profile';

export const stripe: RecipientProfile = {
  recipient: 'stripe',
  accepts: { photos: ['jpeg', 'png'], videos: [], pdf: true },
  limits: { maxFileBytes: 5 * MB, maxTotalBytes: 4.5 * MB, maxPages: 19, maxTextCharacters: 150_000 },
  photosInPdf: true,
  maxVideos: 0,
  continuousVideo: false,
  allowsLink: true,
  wantedPhotos: ['label_closeup'],
  deadlineRule: 'respond_by',
  suggested: (facts) => facts.dispute.counterparty === 'payment_processor',
  fields({ facts, narrative, files }) {
    const pdf = filesOf(files, 'evidencePdf')[0];
    const label = filesOf(files, 'label')[0];
    const buyer = facts.order.buyer?.name;
    return {
      ...(itemsLine(facts) ? { product_description: itemsLine(facts) } : {}),
      ...(buyer ? { customer_name: buyer } : {}),
      ...(facts.order.carrier ? { shipping_carrier: facts.order.carrier } : {}),
      ...(facts.order.trackingNumbers.length ? { shipping_tracking_number: facts.order.trackingNumbers.join(', ') } : {}),
      ...(shipDate(facts) ? { shipping_date: shipDate(facts) } : {}),
      ...(facts.order.deliveryNote ? { shipping_address: facts.order.deliveryNote } : {}),
      uncategorized_text: narrative.summary(stripe.limits.maxTextCharacters! - 2_000),
      ...(label ? { shipping_documentation: label.path } : {}),
      ...(pdf ? { uncategorized_file: pdf.path } : {}),
    };
  },
  textOf: (fields) => allText(Object.fromEntries(Object.entries(fields).filter(([key]) => !['shipping_documentation', 'uncategorized_file'].includes(key)))),
};
