// Reply drafts in English: the default template for every dispute reason and stage, and the words the
// drafts fill in around them. The reference the other languages follow (same keys, same placeholders).
// A shop's owner may replace any template (server/services/replies.service.ts); these stay the defaults.
import type { DisputeReason, DisputeStatus, ReplyPlaceholder, ReplyStage } from '../../domain/vocabulary';

// Pieces several templates share, so a fix to one reaches them all.
const hello = 'Dear {buyerName},';
const bye = 'Kind regards,\n{shopName}';
const packingRecord =
  'What our records show:\n' +
  '- Items ordered: {items}\n' +
  '- Packed on camera at {packedAt}; the parcel weighed {weight} (expected {expectedWeight}).\n' +
  '- Sent with {carrier}, tracking number {trackingNumber}.';
const returnRecord =
  'What our records show:\n' +
  '- The returned parcel was opened on camera at {returnOpenedAt}.\n' +
  '- What we found: {returnFindings}.\n' +
  '- When it left us, the same order was packed on camera at {packedAt} and weighed {weight}.';
const evidence =
  'Evidence attached:\n{evidence}\n\n' +
  'You can view the recordings, with their original timestamps and SHA-256 fingerprints, at this link: {shareLink}';
const returnFee = 'the return shipping fee is {returnFee}';
const askBy = 'Please let us know which you prefer by {respondBy}.';
const outcome = 'Here is where the matter stands: {outcome}.';
const stillOpen = 'For your records, these options remain open to you:';

/** Every option in writing, for a parcel the buyer is unhappy with on arrival. */
const deliveryOptions = (refund: string, exchange: string, ret: string) =>
  `1. Refund: ${refund}\n2. Exchange: ${exchange}\n3. Return: ${ret}; ${returnFee}.\n4. Evidence: our packing video and photos of this parcel, available on request.`;
/** Every option in writing, for a return that came back not as it left. */
const returnOptions = (refund: string, exchange: string) =>
  `1. Refund: ${refund}\n2. Exchange: ${exchange}\n3. Return to you: we send the item back to you as it reached us; ${returnFee}.\n4. Evidence: the recording of the return being opened, and of the order being packed.`;

const options = {
  item_missing: deliveryOptions(
    'we refund the missing item to your original payment method.',
    'we send the missing item to you at our cost.',
    'you send the whole order back and we refund it in full when it arrives',
  ),
  damaged: deliveryOptions(
    'we refund the damaged item to your original payment method.',
    'we send you a replacement as soon as it is in stock.',
    'you send the damaged item back and we refund it when it arrives',
  ),
  not_received: deliveryOptions(
    'we refund the order once the courier confirms the parcel is lost.',
    'we send the order again at our cost.',
    'if the parcel reaches you later and you no longer want it, you can send it back for a refund',
  ),
  not_as_described: deliveryOptions(
    'we refund the item once it is back with us.',
    'we exchange it for another size, colour or item of the same price.',
    'you send the item back unused and we refund it when it arrives',
  ),
  wrong_item: deliveryOptions(
    'we refund the item you ordered to your original payment method.',
    'we send the item you ordered and arrange the return of the one you received.',
    'you send the item you received back and we refund it when it arrives',
  ),
  return_damaged: returnOptions(
    'we refund the order less a deduction for the damage, which we set out in writing before paying.',
    'an exchange is not possible for a damaged item, but we can offer a repair at cost where one is possible.',
  ),
  return_used: returnOptions(
    'we refund the order less a deduction for its use, which we set out in writing before paying.',
    'an exchange is not possible for a used item.',
  ),
  return_missing_parts: returnOptions(
    'we refund the order in full once the missing parts reach us, or less their value if they do not.',
    'once the missing parts are back, we can exchange the item instead of refunding it.',
  ),
  chargeback: deliveryOptions(
    'we offered the cardholder a refund of the affected item to the original payment method.',
    'we offered to send a replacement at our cost.',
    'we offered to take the order back and refund it when it arrives',
  ),
  other: deliveryOptions(
    'we refund the affected item to your original payment method.',
    'we exchange it for the same or a similar item.',
    'you send the item back and we refund it when it arrives',
  ),
} satisfies Record<DisputeReason, string>;

const buyerMessages = (reason: DisputeReason, opening: string, record: string, request: string) => ({
  first_reply: `${hello}\n\n${opening}\n\n${record}\n\nThese are the options we can offer:\n${options[reason]}\n\n${request}\n\n${bye}`,
  evidence_sent:
    `${hello}\n\nAs promised, here is what we recorded for order {orderId}.\n\n${evidence}\n\n${record}\n\n` +
    `Your options remain the same:\n${options[reason]}\n\n${askBy}\n\n${bye}`,
  resolution:
    `${hello}\n\nThank you for your patience with order {orderId}. ${outcome}\n\n${stillOpen}\n${options[reason]}\n\n` +
    `The evidence stays available at {shareLink}. If anything is still unclear, simply reply to this message and we will help.\n\n${bye}`,
});

const en = {
  /** The name of each fact, inside the "[…]" marker left where the order has no such fact. */
  facts: {
    shopName: 'shop name',
    buyerName: 'buyer’s name',
    orderId: 'order number',
    items: 'items ordered',
    packedAt: 'packing time',
    weight: 'parcel weight',
    expectedWeight: 'expected weight',
    trackingNumber: 'tracking number',
    carrier: 'carrier',
    returnOpenedAt: 'time the return was opened',
    returnFindings: 'findings on the return',
    reference: 'case reference',
    amount: 'amount in dispute',
    respondBy: 'reply-by date',
    returnFee: 'return shipping fee',
    evidence: 'evidence list',
    shareLink: 'share link',
    outcome: 'outcome',
  } satisfies Record<ReplyPlaceholder, string>,
  /** A fact the order or dispute does not have: visible, so nobody sends the gap unnoticed. */
  missing: '[{fact}: not on record, please fill in]',
  /** Facts Packtrail never knows by itself: the seller writes them in. */
  fillIn: {
    returnFee: '[return shipping fee: fill in the amount]',
    shareLink: '[share link: create one on the dispute page and paste it here]',
  } satisfies Partial<Record<ReplyPlaceholder, string>>,
  /** {outcome}, from the dispute's status; an open dispute has none yet. */
  outcomes: {
    submitted: 'we have sent our response and the packing evidence for review and are waiting for the decision',
    won: 'the case has been reviewed and decided in our favour on the basis of the packing evidence',
    lost: 'the case has been decided against us, and we will carry out the decision promptly',
    closed: 'the case is now closed',
  } satisfies Record<Exclude<DisputeStatus, 'open'>, string>,
  /** One line of {evidence}: what it is and when it was recorded, with the seller's caption when there is one. */
  evidenceLine: '- {what}, recorded {time}',
  evidenceLineCaptioned: '- {what}, recorded {time}: {caption}',
  noEvidence: '[evidence list: no evidence picked yet, add it on the dispute page]',
  /** {returnFindings}: the inspection's outcome and the checklist items with a problem. */
  findingsOutcome: 'assessed as “{outcome}”',
  findingsIssues: 'problems noted with {items}',
  findingsNone: 'no problems noted',
  listSeparator: ', ',

  templates: {
    item_missing: buyerMessages(
      'item_missing',
      'Thank you for letting us know that something was missing from order {orderId}. We are sorry for the trouble and are looking into it now.',
      packingRecord,
      'Could you reply by {respondBy}, if possible with a photo of the box and its label as it arrived? It helps us settle this quickly.',
    ),
    damaged: buyerMessages(
      'damaged',
      'We are very sorry that order {orderId} reached you damaged. Thank you for telling us straight away.',
      packingRecord,
      'Could you reply by {respondBy} with photos of the damage, the box and its label? Please keep the packaging: the courier may ask to see it.',
    ),
    not_received: buyerMessages(
      'not_received',
      'Thank you for letting us know that order {orderId} has not reached you. We are sorry for the wait and have asked the courier to trace the parcel.',
      packingRecord,
      'Could you check with neighbours or your building’s reception, and reply by {respondBy}?',
    ),
    not_as_described: buyerMessages(
      'not_as_described',
      'Thank you for your message about order {orderId}. We are sorry the item is not what you expected, and we want to put it right.',
      packingRecord,
      'Could you tell us by {respondBy} what differs from the description, with a photo if possible?',
    ),
    wrong_item: buyerMessages(
      'wrong_item',
      'We are sorry to hear that order {orderId} does not contain the item you ordered. Thank you for letting us know.',
      packingRecord,
      'Could you send us a photo of the item you received and its label by {respondBy}? Please do not use it in the meantime.',
    ),
    return_damaged: buyerMessages(
      'return_damaged',
      'Thank you for returning order {orderId}. When we opened the parcel, we found the item damaged, so we cannot accept it as it is.',
      returnRecord,
      'Could you tell us by {respondBy} which option you prefer, or share anything we should know about how the damage happened?',
    ),
    return_used: buyerMessages(
      'return_used',
      'Thank you for returning order {orderId}. When we opened the parcel, the item showed signs of use, so we cannot accept it as new.',
      returnRecord,
      'Could you tell us by {respondBy} which option you prefer?',
    ),
    return_missing_parts: buyerMessages(
      'return_missing_parts',
      'Thank you for returning order {orderId}. When we opened the parcel, some parts of the item were missing.',
      returnRecord,
      'Could you check whether the missing parts are still with you and reply by {respondBy}?',
    ),
    chargeback: {
      first_reply:
        'Dear dispute team,\n\nWe are responding to the chargeback on order {orderId} (case {reference}, {amount}), placed by {buyerName}.\n\n' +
        `${packingRecord}\n\nBefore the chargeback, we offered the cardholder every option in writing:\n${options.chargeback}\n\n` +
        `We will send the full evidence before {respondBy}.\n\n${bye}`,
      evidence_sent:
        'Dear dispute team,\n\nPlease find our evidence for the chargeback on order {orderId} (case {reference}, {amount}), placed by {buyerName}.\n\n' +
        `${evidence}\n\n${packingRecord}\n\nThe cardholder was offered, in writing:\n${options.chargeback}\n\n` +
        `We ask that the chargeback be reversed. We are sending this before the deadline of {respondBy}.\n\n${bye}`,
      resolution:
        'Dear dispute team,\n\nThank you for handling the chargeback on order {orderId} (case {reference}, {amount}), placed by {buyerName}. ' +
        `${outcome}\n\nThe cardholder was offered, in writing:\n${options.chargeback}\n\nThe evidence stays available at {shareLink}.\n\n${bye}`,
    },
    other: buyerMessages(
      'other',
      'Thank you for your message about order {orderId}. We are sorry for the trouble and are looking into it now.',
      packingRecord,
      'Could you reply by {respondBy} so that we can settle this quickly?',
    ),
  } satisfies Record<DisputeReason, Record<ReplyStage, string>>,
};

export type ReplyStrings = typeof en;

export default en;
