// Shopify Payments: evidence files under Shopify's file types (SHIPPING_DOCUMENTATION_FILE,
// UNCATEGORIZED_FILE, …), PDF, JPEG or PNG, under 2 MB each and 4 MB together, under 50 pages; the texts
// under the names of its dispute evidence input (productDescription, uncategorizedText, fulfillments).
import { itemsWithin } from '../narrative';
import { STRIPE_LONG_TEXT } from './stripe';
import { allText, filesOf, shipDate } from './common';
import { MB, type RecipientProfile } from '../profile';

export const shopify: RecipientProfile = {
  recipient: 'shopify',
  // "Under" 2 MB and 4 MB, "under" 50 pages: a byte and a page below.
  accepts: { photos: ['jpeg', 'png'], videos: [], pdf: true },
  // Shopify Payments hands the evidence to Stripe: Stripe's text limits hold too (20,000 a long field, 150,000 in all).
  limits: { maxFileBytes: 2 * MB - 1, maxTotalBytes: 4 * MB - 1, maxPages: 49, maxTextCharacters: 150_000 },
  photosInPdf: true,
  maxVideos: 0,
  continuousVideo: false,
  allowsLink: true,
  wantedPhotos: ['label_closeup'],
  deadlineRule: 'respond_by',
  suggested: (facts) => facts.dispute.counterparty === 'payment_processor' || /shopify/i.test(facts.order.channel ?? ''),
  fields({ facts, narrative, files }) {
    const pdf = filesOf(files, 'evidencePdf')[0];
    const label = filesOf(files, 'label')[0];
    const items = itemsWithin(facts, narrative.language, STRIPE_LONG_TEXT);
    return {
      shopifyEvidence: {
        ...(label ? { SHIPPING_DOCUMENTATION_FILE: label.path } : {}),
        ...(pdf ? { UNCATEGORIZED_FILE: pdf.path } : {}),
      },
      ...(items ? { productDescription: items } : {}),
      uncategorizedText: narrative.summary(STRIPE_LONG_TEXT),
      ...(facts.order.trackingNumbers.length || facts.order.carrier
        ? {
            fulfillments: [
              {
                ...(facts.order.carrier ? { shippingCarrier: facts.order.carrier } : {}),
                ...(facts.order.trackingNumbers.length ? { shippingTrackingNumber: facts.order.trackingNumbers.join(', ') } : {}),
                ...(shipDate(facts) ? { shippingDate: shipDate(facts) } : {}),
              },
            ],
          }
        : {}),
    };
  },
  textOf: (fields) => allText({ ...fields, shopifyEvidence: undefined }),
};
