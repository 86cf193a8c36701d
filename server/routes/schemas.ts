// TypeBox schemas shared by routes: one source for validation, types and the OpenAPI document.
import { Type, type TProperties, type TSchema } from '@sinclair/typebox';
import {
  captureKinds, checklistResults, claimKinds, claimPhotoKinds, counterparties, disputeReasons, disputeStatuses, inspectionOutcomes,
  languages, mediaTypes, packetRecipients, weightUnits,
} from '../domain/vocabulary';
import { MAX_WEIGHT_GRAMS, weightBases, weightVerdicts } from '../services/weights';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** One of a vocabulary's codes (server/domain/vocabulary.ts). */
export const OneOf = <T extends string>(values: readonly T[]) => Type.Union(values.map((value) => Type.Literal(value)));

export const CaptureKindSchema = OneOf(captureKinds);
export const OutcomeSchema = OneOf(inspectionOutcomes);
export const ChecklistResultSchema = OneOf(checklistResults);
export const MediaTypeSchema = OneOf(mediaTypes);
export const WeightUnitSchema = OneOf(weightUnits);
export const ReasonSchema = OneOf(disputeReasons);
export const CounterpartySchema = OneOf(counterparties);
export const DisputeStatusSchema = OneOf(disputeStatuses);
export const ClaimKindSchema = OneOf(claimKinds);
export const ClaimPhotoKindSchema = OneOf(claimPhotoKinds);
/**
 * Which deadline a reminder is about: the respond-by date the seller set, a courier claim's last filing day,
 * or a recipient's own rule (Amazon's 72 hours, Coupang's 168 business hours) where no respond-by date is set.
 */
export const ReminderDeadlineSchema = Type.Union([Type.Literal('respond_by'), Type.Literal('claim_filing'), Type.Literal('recipient')]);
/** A recipient packet's recipient (server/services/packets/recipients). */
export const PacketRecipientSchema = OneOf(packetRecipients);
/** A photo's courier photo tags (server/services/media-tags.ts), each code once. */
export const MediaTagsSchema = Type.Array(ClaimPhotoKindSchema, { maxItems: claimPhotoKinds.length, uniqueItems: true });
export const WeightVerdictSchema = OneOf(weightVerdicts);
export const WeightBasisSchema = OneOf(weightBases);
/** A packaging weight in grams: nothing (an item shipped in its own box) up to the heaviest parcel. */
export const PackagingGramsSchema = Type.Number({ minimum: 0, maximum: MAX_WEIGHT_GRAMS });
/**
 * A weight tolerance in percent. At least 0.1 (no parcel scale reads finer, and a smaller one would be
 * printed as "± 0 %", calling every parcel off) and at most 50 (beyond it a missing half of the parcel
 * would pass).
 */
export const MIN_TOLERANCE_PERCENT = 0.1;
export const TolerancePercentSchema = Type.Number({ minimum: MIN_TOLERANCE_PERCENT, maximum: 50 });
/** `?lang=` of reports and bundles; without it, the shop's report language (no default here, or it would always be filled in). */
export const LanguageSchema = OneOf(languages);

export const ErrorSchema = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String(),
    error: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'Error' },
);

/** Answers every route may give, so the OpenAPI document lists them. */
export const errorResponses = {
  400: ErrorSchema,
  401: ErrorSchema,
  403: ErrorSchema,
  404: ErrorSchema,
  409: ErrorSchema,
};

// Text is well-formed Unicode: a lone surrogate (\uD800) cannot be written as UTF-8, so it would be
// stored as one thing and looked up as another. Control characters have no place in what people type.
const WELL_FORMED = '^\\P{Cs}*$';
const ONE_LINE = '^[^\\p{Cc}\\p{Cs}]*$';
// Free text may break lines and use tabs; nothing else from the control ranges.
const LINES = '^[^\\p{Cs}\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F]*$';

/** Text on one line, up to maxLength characters (empty allowed unless minLength says otherwise). */
export const Text = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength, pattern: ONE_LINE });
/** A name, a reference, a label: one line, never empty. */
export const ShortText = (maxLength = 200) => Text(maxLength, 1);
/** Notes and descriptions: several lines allowed. */
export const LongText = (maxLength: number) => Type.String({ maxLength, pattern: LINES });

/** The free-text rule for fields that arrive outside a JSON body (multipart fields, tus metadata). */
export const isFreeText = (value: string) => freeText.test(value);
const freeText = new RegExp(LINES, 'u');

/** 1–128 printable characters, as marketplaces issue them: no control or format characters, no blank ends. */
export const OrderIdSchema = Type.String({ minLength: 1, maxLength: 128, pattern: '^(?!\\s)[^\\p{Cc}\\p{Cf}\\p{Cs}]+(?<!\\s)$' });
export const UuidSchema = Type.String({ format: 'uuid', maxLength: 45 });
export const IsoTimeSchema = Type.String({ format: 'date-time', maxLength: 40 });
/** A calendar day, "2026-05-01". */
export const DaySchema = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', format: 'date', maxLength: 10 });
export const EmailSchema = Type.String({ format: 'email', maxLength: 254 });
/** Secrets (passwords, codes) may hold any character people can type, spaces included (NIST SP 800-63B). */
export const Secret = (maxLength: number, minLength = 0) => Type.String({ minLength, maxLength, pattern: WELL_FORMED });
export const PasswordSchema = Secret(256, 8);
/** Numbers people enter (prices, amounts) stay far inside what a double holds exactly enough to add up. */
export const AmountNumber = () => Type.Number({ minimum: 0, maximum: 1e12 });
/** Integers in query strings: whole, positive, and small enough to be exact. */
export const PositiveInteger = (options: { maximum?: number; default?: number } = {}) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...options });

/** Request bodies name every field they take: unknown keys, __proto__ and constructor included, are refused. */
export const Body = <T extends TProperties>(properties: T) => Type.Object(properties, { additionalProperties: false });
export const RoleSchema = Type.Union([Type.Literal('owner'), Type.Literal('seller'), Type.Literal('packer')]);

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  role: RoleSchema,
  createdAt: Type.String(),
  /** `invited`: no password yet, the invite link is the way in; `disabled`: no session or token works. */
  status: Type.Union([Type.Literal('active'), Type.Literal('invited'), Type.Literal('disabled')]),
  lastSignInAt: Type.Optional(Type.String()),
  disabledAt: Type.Optional(Type.String()),
  inviteExpiresAt: Type.Optional(Type.String()),
});

/**
 * The shop's settings; `reportLanguage` is what exports are written in when they name no language;
 * `packagingWeightGrams` is counted in every order's expected weight unless the order gives its own, and
 * a weight within `weightTolerancePercent` of what it is held against is consistent.
 */
export const ShopSchema = Type.Object({
  name: Type.String(),
  timezone: Type.String(),
  reportLanguage: OneOf(languages),
  packagingWeightGrams: Type.Number(),
  weightTolerancePercent: Type.Number(),
});

export const DeviceSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Type.String(),
  lastSeenAt: Type.Optional(Type.String()),
});

export const WeightSchema = Body({
  value: Type.Number({ exclusiveMinimum: 0, maximum: 1e9 }),
  unit: WeightUnitSchema,
});

export const ChecklistSchema = Type.Array(
  Body({
    item: ShortText(64),
    result: ChecklistResultSchema,
    note: Type.Optional(LongText(1000)),
    mediaIds: Type.Optional(Type.Array(Text(64), { maxItems: 50 })),
  }),
  { maxItems: 50 },
);

export const MediaSchema = Type.Object({
  id: Type.String(),
  captureId: Type.String(),
  type: MediaTypeSchema,
  mime: Type.String(),
  bytes: Type.Integer(),
  sha256: Type.String(),
  receivedAt: Type.String(),
  capturedAt: Type.Optional(Type.String()),
  capturedAtSource: Type.Optional(Type.Union([Type.Literal('client'), Type.Literal('exif')])),
  caption: Type.Optional(Type.String()),
  tags: Type.Array(ClaimPhotoKindSchema, { description: 'Which of the photos couriers ask for this photo shows; empty when none (always empty for other media).' }),
  originalName: Type.Optional(Type.String()),
  width: Type.Optional(Type.Integer()),
  height: Type.Optional(Type.Integer()),
  durationMs: Type.Optional(Type.Integer()),
  codec: Type.Optional(Type.String()),
  camera: Type.Optional(Type.Object({ make: Type.Optional(Type.String()), model: Type.Optional(Type.String()) })),
  location: Type.Optional(
    Type.Object({ latitude: Type.Number(), longitude: Type.Number(), altitude: Type.Optional(Type.Number()) }),
  ),
  processingStatus: Type.Union([Type.Literal('pending'), Type.Literal('ready'), Type.Literal('failed')]),
  processingError: Type.Optional(Type.String()),
  playbackStatus: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('ready'), Type.Literal('failed')])),
  removed: Type.Optional(
    Type.Object(
      { at: Type.String(), reason: Type.Literal('retention') },
      { description: 'Set once retention removed the original: the item, its ledger entry and its custody stay; its bytes answer 410.' },
    ),
  ),
});

/** 410 for a media item whose original retention removed: when and why, beside the error's own fields. */
export const RemovedMediaSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.Literal('GONE'),
  error: Type.String(),
  message: Type.String(),
  removedAt: Type.String(),
  reason: Type.Literal('retention'),
});

/**
 * A measured weight against what it should be (server/services/weights.ts checkWeight): `against`
 * `expected` is the order's expected weight (items and packaging); `shipped`, for a return, what the
 * parcel weighed when it was packed.
 */
export const WeightCheckSchema = Type.Object({
  verdict: WeightVerdictSchema,
  measuredGrams: Type.Optional(Type.Number()),
  expectedGrams: Type.Optional(Type.Number()),
  differenceGrams: Type.Optional(Type.Number()),
  /** The packaging counted in `expectedGrams` (against `expected`), when some is. */
  packagingGrams: Type.Optional(Type.Number()),
  tolerancePercent: Type.Number(),
  against: WeightBasisSchema,
});

export const CaptureSchema = Type.Object({
  id: Type.String(),
  orderId: Type.String(),
  kind: CaptureKindSchema,
  status: Type.Union([Type.Literal('open'), Type.Literal('finished')]),
  startedAt: Type.String(),
  finishedAt: Type.Optional(Type.String()),
  weightGrams: Type.Optional(Type.Number()),
  weight: Type.Optional(Type.Object({ value: Type.Number(), unit: Type.String() })),
  weightCheck: Type.Optional(WeightCheckSchema),
  trackingNumber: Type.Optional(Type.String()),
  station: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
  checklist: Type.Optional(ChecklistSchema),
  outcome: Type.Optional(Type.String()),
  recordedBy: Type.Optional(
    Type.Object({ kind: Type.Union([Type.Literal('user'), Type.Literal('device')]), id: Type.String(), name: Type.String() }),
  ),
  media: Type.Array(MediaSchema),
});

const ItemSchema = Body({
  sku: Type.Optional(ShortText(128)),
  name: ShortText(500),
  quantity: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
  unitWeightGrams: Type.Optional(Type.Number({ minimum: 0, maximum: 1_000_000 })),
  unitValue: Type.Optional(AmountNumber()),
});

/** An order's item as the order view shows it: with the unit weight it is counted with and where that came from. */
const ItemViewSchema = Type.Object({
  sku: Type.Optional(Type.String()),
  name: Type.String(),
  quantity: Type.Integer(),
  unitWeightGrams: Type.Optional(Type.Number()),
  unitValue: Type.Optional(Type.Number()),
  weightKnown: Type.Boolean(),
  weightFrom: Type.Optional(Type.Union([Type.Literal('order'), Type.Literal('catalogue')])),
});

/** A SKU catalogue code or box size code: as marketplaces spell them, one line. */
export const SkuSchema = ShortText(128);
export const BoxSizeCodeSchema = ShortText(64);

export const SkuSchemaView = Type.Object({
  sku: Type.String(),
  name: Type.Optional(Type.String()),
  unitWeightGrams: Type.Optional(Type.Number()),
  boxSize: Type.Optional(Type.String()),
});

export const BoxSizeSchema = Type.Object({
  code: Type.String(),
  name: Type.Optional(Type.String()),
  packagingWeightGrams: Type.Number(),
});

/**
 * A row a file import refused: its 1-based line (the header is line 1), a stable code, the reason in
 * English words, and what the reason names (a column's field, its number, a limit, another order and its
 * line, a catalogue cell's text, a count), so a client can say it in its own language.
 */
export const RefusedRowSchema = Type.Object({
  line: Type.Integer(),
  reason: Type.String(),
  code: Type.String(),
  params: Type.Optional(
    Type.Object({
      field: Type.Optional(Type.String()),
      column: Type.Optional(Type.Integer()),
      limit: Type.Optional(Type.Integer()),
      order: Type.Optional(Type.String()),
      refusedLine: Type.Optional(Type.Integer()),
      value: Type.Optional(Type.String()),
      count: Type.Optional(Type.Integer()),
    }),
  ),
});

/** An amount of money in an ISO 4217 currency. */
export const MoneySchema = Body({
  amount: AmountNumber(),
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
});

export const OrderInputSchema = Body({
  channel: Type.Optional(ShortText(64)),
  buyer: Type.Optional(
    Body({
      ref: Type.Optional(ShortText(128)),
      name: Type.Optional(ShortText(200)),
      flagged: Type.Optional(Type.Boolean()),
      flagReason: Type.Optional(LongText(500)),
    }),
  ),
  items: Type.Optional(Type.Array(ItemSchema, { maxItems: 500 })),
  carrier: Type.Optional(ShortText(64)),
  trackingNumbers: Type.Optional(Type.Array(ShortText(64), { maxItems: 20 })),
  deliveryNote: Type.Optional(LongText(2000)),
  declaredValue: Type.Optional(MoneySchema),
  shippedAt: Type.Optional(IsoTimeSchema),
  deliveredAt: Type.Optional(IsoTimeSchema),
  /** The order's own packaging weight (grams); null goes back to the shop's default. */
  packagingWeightGrams: Type.Optional(Nullable(PackagingGramsSchema)),
});

export const OrderSummarySchema = Type.Object({
  orderId: Type.String(),
  channel: Type.Optional(Type.String()),
  buyer: Type.Optional(
    Type.Object({
      ref: Type.Optional(Type.String()),
      name: Type.Optional(Type.String()),
      flagged: Type.Boolean(),
      flagReason: Type.Optional(Type.String()),
    }),
  ),
  /** Each item with the unit weight it is counted with: its own, else its SKU's in the catalogue. */
  items: Type.Array(ItemViewSchema),
  /** Items with no known unit weight (neither their own nor their SKU's): while any, no expected weight. */
  itemsWithoutWeight: Type.Integer({ minimum: 0 }),
  carrier: Type.Optional(Type.String()),
  trackingNumbers: Type.Array(Type.String()),
  deliveryNote: Type.Optional(Type.String()),
  declaredValue: Type.Optional(MoneySchema),
  shippedAt: Type.Optional(Type.String()),
  deliveredAt: Type.Optional(Type.String()),
  /** The order's own packaging weight; absent when the shop's default applies. */
  packagingWeightGrams: Type.Optional(Type.Number()),
  /** Items and packaging together, when every item has a unit weight. */
  expectedWeightGrams: Type.Optional(Type.Number()),
  expectedWeightParts: Type.Optional(
    Type.Object({
      itemsGrams: Type.Number(),
      packagingGrams: Type.Number(),
      /** The order's own packaging, its items' box size's (the SKU catalogue's), or the shop's default. */
      packagingFrom: Type.Union([Type.Literal('order'), Type.Literal('box'), Type.Literal('shop')]),
      /** The box size counted, when packagingFrom is 'box'. */
      boxSize: Type.Optional(Type.String()),
    }),
  ),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});

/** A search result: the order, its latest capture as a result row shows it, and whether it has a dispute. */
export const OrderSearchItemSchema = Type.Composite([
  OrderSummarySchema,
  Type.Object({
    latestCapture: Type.Optional(
      Type.Object({
        id: Type.String(),
        kind: CaptureKindSchema,
        station: Type.Optional(Type.String()),
        startedAt: Type.String(),
        thumbnailMediaId: Type.Optional(Type.String()),
        weightCheck: Type.Optional(WeightCheckSchema),
      }),
    ),
    hasDispute: Type.Boolean(),
  }),
]);

export const OrderSchema = Type.Composite([
  OrderSummarySchema,
  Type.Object({
    captures: Type.Array(CaptureSchema),
    /** Absent for packers: they capture, they do not read disputes. */
    disputes: Type.Optional(Type.Array(Type.Unknown())),
  }),
]);

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' })),
});
