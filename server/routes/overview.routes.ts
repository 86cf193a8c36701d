// The dashboard's home page in one read: open disputes, reminders, today's captures, weight warnings,
// flagged buyers' orders in progress, and the figures its two charts draw.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { OverviewService } from '../services/overview.service';
import { STAFF } from './access';
import {
  CaptureKindSchema, CounterpartySchema, errorResponses, Nullable, PacketRecipientSchema, PositiveInteger, ReasonSchema, ReminderDeadlineSchema, WeightBasisSchema,
} from './schemas';

/** Three months is as far back as a glance at the home page reaches; the search covers the rest. */
const MAX_DAYS = 90;
const DEFAULT_DAYS = 30;

const MoneySchema = Type.Object({ value: Type.Number(), currency: Type.String() });

export const OverviewSchema = Type.Object({
  now: Type.String({ description: 'The server time the answer was made at; countdowns count from it.' }),
  timezone: Type.String(),
  today: Type.String({ description: "The shop's calendar day, YYYY-MM-DD." }),
  days: Type.Integer(),
  openDisputes: Type.Object({
    total: Type.Integer(),
    items: Type.Array(
      Type.Object({
        id: Type.String(),
        orderId: Type.String(),
        reason: ReasonSchema,
        counterparty: CounterpartySchema,
        status: Type.Union([Type.Literal('open'), Type.Literal('submitted')]),
        amount: Type.Optional(MoneySchema),
        respondBy: Type.Optional(Type.String()),
        overdue: Type.Boolean(),
      }),
      { description: 'Soonest respond-by first; those without one last.' },
    ),
  }),
  reminders: Type.Array(
    Type.Object({
      disputeId: Type.String(),
      kind: Type.Union([Type.Literal('due_soon'), Type.Literal('overdue')]),
      deadline: ReminderDeadlineSchema,
      respondBy: Type.String({ description: 'When the deadline falls due (a claim: the end of its last filing day in the shop’s time zone).' }),
      fileBy: Type.Optional(Type.String({ description: 'A courier claim’s last day to file (YYYY-MM-DD, shop’s calendar).' })),
      recipient: Type.Optional(PacketRecipientSchema),
      raisedAt: Type.String(),
      orderId: Type.String(),
      reason: ReasonSchema,
      counterparty: CounterpartySchema,
    }),
  ),
  anyCaptures: Type.Boolean({ description: 'Whether the shop has any capture at all (a new shop has none).' }),
  todayByStation: Type.Array(Type.Object({ station: Nullable(Type.String()), count: Type.Integer() }), {
    description: 'Captures made at the packing stations (by phones, or any capture with a station); desk captures are `todayAtDesk`.',
  }),
  todayAtDesk: Type.Integer({ description: 'Captures added at the desk today: kind `other` by a user from the dashboard, with no phone and no station.' }),
  capturesPerDay: Type.Array(Type.Object({ date: Type.String(), count: Type.Integer() }), { description: 'Oldest first; the last is today.' }),
  weightWarnings: Type.Object({
    days: Type.Integer({ description: 'The warnings cover this many days of the shop\'s calendar, today included.' }),
    total: Type.Integer(),
    items: Type.Array(
      Type.Object({
        captureId: Type.String(),
        orderId: Type.String(),
        kind: CaptureKindSchema,
        station: Type.Optional(Type.String()),
        startedAt: Type.String(),
        measuredGrams: Type.Number(),
        expectedGrams: Type.Number({ description: 'The order\'s expected weight (items and packaging), or for a return what was shipped (`against`).' }),
        differenceGrams: Type.Number(),
        verdict: Type.Union([Type.Literal('light'), Type.Literal('heavy')]),
        against: WeightBasisSchema,
      }),
      { description: 'Newest first.' },
    ),
  }),
  flaggedOrdersInProgress: Type.Array(
    Type.Object({
      orderId: Type.String(),
      buyerRef: Type.String(),
      buyerName: Type.Optional(Type.String()),
      flagReason: Type.Optional(Type.String()),
      captureCount: Type.Integer(),
      lastCaptureAt: Type.String(),
    }),
  ),
  disputeOutcomes: Type.Object({
    won: Type.Integer(),
    lost: Type.Integer(),
    recovered: Type.Array(MoneySchema, { description: "Won disputes' amounts, summed per currency." }),
  }),
});

export const overviewRoutes: FastifyPluginAsyncTypebox<{ overview: OverviewService }> = async (app, { overview }) => {
  app.get('/overview', {
    config: { allow: STAFF },
    schema: {
      tags: ['overview'],
      summary: "The home page: open disputes, reminders, today's captures, weight warnings, flagged buyers' orders, and the charts' figures",
      querystring: Type.Object({ days: Type.Optional(PositiveInteger({ maximum: MAX_DAYS, default: DEFAULT_DAYS })) }),
      response: { 200: OverviewSchema, ...errorResponses },
    },
  }, async (request) => overview.get(request.query.days ?? DEFAULT_DAYS));
};
