// The product's words, declared once: storage types, API schemas, services, reports and the web apps
// all take their codes from here (the packer app through the generated /pack/vocabulary.js). Labels
// for each code live in server/i18n, keyed by these codes. Plain data only, no imports: it is also
// serialised for the browser as it is.

/** The interface languages, by the code the API (`?lang=`), reports and apps all use. */
export const languages = ['en', 'ko', 'zh-TW'] as const;
export type Language = (typeof languages)[number];
export const defaultLanguage: Language = 'en';
/** The locale each language formats numbers, dates and plurals with. */
export const languageLocales: Record<Language, string> = { en: 'en-US', ko: 'ko-KR', 'zh-TW': 'zh-TW' };

/** What a capture records: a parcel packed, a return opened, a parcel handed over, anything else. */
export const captureKinds = ['packing', 'unboxing', 'handover', 'other'] as const;
export type CaptureKind = (typeof captureKinds)[number];

/** What a return inspection looks at, in the order the packer goes through it. */
export const checklistItems = [
  'outer_box', 'seal', 'inner_packaging', 'cushioning', 'protective_film', 'signs_of_use', 'accessories_complete',
] as const;
export type ChecklistItem = (typeof checklistItems)[number];

export const checklistResults = ['ok', 'issue', 'not_applicable'] as const;
export type ChecklistResult = (typeof checklistResults)[number];

/** What a return inspection concludes. */
export const inspectionOutcomes = ['resellable', 'damaged', 'used', 'wrong_item', 'parts_missing'] as const;
export type InspectionOutcome = (typeof inspectionOutcomes)[number];

export const mediaTypes = ['photo', 'video', 'audio', 'document'] as const;
export type MediaType = (typeof mediaTypes)[number];

export const weightUnits = ['g', 'kg', 'lb', 'oz'] as const;
export type WeightUnit = (typeof weightUnits)[number];

export const disputeReasons = [
  'item_missing', 'damaged', 'not_received', 'not_as_described', 'wrong_item',
  'return_damaged', 'return_used', 'return_missing_parts', 'chargeback', 'other',
] as const;
export type DisputeReason = (typeof disputeReasons)[number];

/** Who a dispute is raised by or with. */
export const counterparties = ['buyer', 'marketplace', 'payment_processor', 'courier'] as const;
export type Counterparty = (typeof counterparties)[number];

export const disputeStatuses = ['open', 'submitted', 'won', 'lost', 'closed'] as const;
export type DisputeStatus = (typeof disputeStatuses)[number];

/**
 * The carriers whose claim terms we know (an order's carrier is free text, recognised by
 * services/claims/claim-deadlines.ts). `kr_standard` is every Korean courier under the standard parcel terms.
 */
export const carriers = ['kr_standard', 'korea_post', 'ups', 'fedex', 'usps', 'dhl_express'] as const;
export type Carrier = (typeof carriers)[number];
/** A recognised carrier, or `unknown` for one whose terms we do not know. */
export const carrierKeys = [...carriers, 'unknown'] as const;
export type CarrierKey = (typeof carrierKeys)[number];

/** What a courier claim is for: a parcel that arrived damaged, or one that never arrived. */
export const claimKinds = ['damage', 'loss'] as const;
export type ClaimKind = (typeof claimKinds)[number];

/** The photos couriers ask for with a damage or loss claim (services/claims/claim-photos.ts recognises each). */
export const claimPhotoKinds = ['packing_inside', 'packing_outside', 'label_closeup', 'damage', 'all_sides', 'weight'] as const;
export type ClaimPhotoKind = (typeof claimPhotoKinds)[number];

/** Dates of a courier claim that cannot all be true (services/claims/claim-dates.ts finds them). */
export const claimDateConflicts = [
  'delivered_before_shipped', 'packed_after_shipped', 'packed_after_delivered', 'handed_over_before_packed',
  'handed_over_after_delivered', 'return_opened_before_delivered', 'packed_after_claim', 'handed_over_after_claim',
  'shipped_after_letter', 'delivered_after_letter',
] as const;
export type ClaimDateConflict = (typeof claimDateConflicts)[number];

/**
 * The moments a seller writes to a buyer, marketplace or payment processor about a dispute: the first
 * answer (the facts and every option), the message that sends the evidence, and the one on the outcome.
 */
export const replyStages = ['first_reply', 'evidence_sent', 'resolution'] as const;
export type ReplyStage = (typeof replyStages)[number];

/** The facts a reply template may name as {placeholder}; the drafts fill each from the order and dispute. */
export const replyPlaceholders = [
  'shopName', 'buyerName', 'orderId', 'items', 'packedAt', 'weight', 'expectedWeight', 'trackingNumber', 'carrier',
  'returnOpenedAt', 'returnFindings', 'reference', 'amount', 'respondBy', 'returnFee', 'evidence', 'shareLink', 'outcome',
] as const;
export type ReplyPlaceholder = (typeof replyPlaceholders)[number];

/**
 * Who a recipient packet is shaped for (services/packets/recipients): processors, platforms and
 * marketplaces with their own upload rules, and the courier's claim. In registry order.
 */
export const packetRecipients = ['stripe', 'shopify', 'paypal', 'ebay', 'amazon', 'coupang', 'shopee', 'courier'] as const;
export type PacketRecipient = (typeof packetRecipients)[number];
