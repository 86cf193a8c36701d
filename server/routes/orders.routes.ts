// Orders: upsert, the order with its capture timeline, and search.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { BuyerDetailsService } from '../services/buyer-details.service';
import type { CapturesService } from '../services/captures.service';
import type { DisputesService } from '../services/disputes.service';
import type { OrdersService } from '../services/orders.service';
import { EVERYONE, OWNER, principalOf, STAFF } from './access';
import {
  Body, CaptureKindSchema, DaySchema, ErrorSchema, errorResponses, OrderIdSchema, OrderInputSchema, OrderSchema, OrderSearchItemSchema, OrderSummarySchema,
  PositiveInteger, ShortText, Text,
} from './schemas';

/** 409 for a tracking number several orders hold: the error, and the orders to choose from. */
const AmbiguousTrackingSchema = Type.Composite([
  ErrorSchema,
  Type.Object({ orderIds: Type.Optional(Type.Array(Type.String(), { description: 'With AMBIGUOUS_TRACKING_NUMBER: the orders holding the number, newest first' })) }),
]);

interface Options {
  orders: OrdersService;
  captures: Pick<CapturesService, 'listRowsForOrder' | 'toView'>;
  disputes: Pick<DisputesService, 'listForOrder'>;
  buyerDetails: BuyerDetailsService;
}

export const ordersRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { orders, captures, disputes, buyerDetails }) => {
  app.post('/orders/buyer-details/purge', {
    config: { allow: OWNER },
    schema: {
      tags: ['orders'],
      summary: "Remove buyers' names and delivery notes from orders created more than olderThanDays days ago (owner only)",
      description:
        'Keeps what the evidence needs: order IDs, items, tracking numbers, the buyer ref (pseudonymous), captures, media and the evidence log, ' +
        'so bundles still export and verify. Recorded in the audit log with the count; a repeat purges nothing more. Photos of labels can ' +
        'still show a name and address: originals are write-once.',
      body: Body({ olderThanDays: Type.Integer({ minimum: 1, maximum: 3650 }) }),
      response: { 200: Type.Object({ purged: Type.Integer({ minimum: 0 }) }), ...errorResponses },
    },
  }, async (request) => {
    const result = buyerDetails.purge(request.body.olderThanDays, principalOf(request));
    request.log.info({ olderThanDays: request.body.olderThanDays, purged: result.purged }, 'buyer details purged');
    return result;
  });

  app.put('/orders/:orderId', {
    config: { allow: STAFF },
    schema: {
      tags: ['orders'],
      summary: 'Create or update an order; fields sent replace what is stored',
      params: Type.Object({ orderId: OrderIdSchema }),
      body: OrderInputSchema,
      response: { 200: OrderSummarySchema, 201: OrderSummarySchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const { created, order } = orders.upsert(request.params.orderId, request.body);
    return reply.code(created ? 201 : 200).send(order);
  });

  app.get('/orders/by-tracking/:trackingNumber', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['orders'],
      summary: 'The order a tracking number (a scanned waybill) belongs to',
      description:
        'Tracking numbers are compared without spaces or hyphens and in either case ("6012-3456-7891" finds 601234567891). ' +
        'When several orders hold the number (couriers reuse them), 409 AMBIGUOUS_TRACKING_NUMBER with `orderIds`, newest first: ' +
        'the caller asks which order the parcel is for. 404 NOT_FOUND when none does: a scanned waybill never makes a new order by itself.',
      params: Type.Object({ trackingNumber: ShortText(64) }),
      response: { 200: OrderSummarySchema, ...errorResponses, 409: AmbiguousTrackingSchema },
    },
  }, async (request) => orders.findByTrackingNumber(request.params.trackingNumber));

  app.get('/orders/:orderId', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['orders'],
      summary: 'An order with its expected weight and captures (oldest first, with media)',
      params: Type.Object({ orderId: OrderIdSchema }),
      response: { 200: OrderSchema, ...errorResponses },
    },
  }, async (request) => {
    const row = orders.requireRow(request.params.orderId);
    const timeline = captures.listRowsForOrder(row.id).map(captures.toView);
    const isPacker = principalOf(request).role === 'packer';
    return { ...orders.summarize(row), captures: timeline, ...(isPacker ? {} : { disputes: disputes.listForOrder(row.id) }) };
  });

  app.get('/orders', {
    config: { allow: EVERYONE },
    schema: {
      tags: ['orders'],
      summary: 'Search orders by order ID, tracking number or buyer, narrowed by filters; newest first',
      description:
        'Each result carries its latest capture (among those the capture filters ask for) with a thumbnail and the weight verdict, ' +
        'and whether the order has a dispute. `kind`, `station`, `from`, `to` and `weightWarnings` hold for one and the same capture; ' +
        '`from` and `to` are days in the shop\'s time zone, both included.',
      querystring: Type.Object({
        q: Type.Optional(Text(128)),
        cursor: Type.Optional(Text(64)),
        limit: Type.Optional(PositiveInteger({ maximum: 200, default: 50 })),
        from: Type.Optional(DaySchema),
        to: Type.Optional(DaySchema),
        station: Type.Optional(ShortText(64)),
        kind: Type.Optional(CaptureKindSchema),
        weightWarnings: Type.Optional(Type.Boolean()),
        hasDispute: Type.Optional(Type.Boolean()),
      }),
      response: {
        200: Type.Object({ items: Type.Array(OrderSearchItemSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }),
        ...errorResponses,
        // SEARCH_UNAVAILABLE: a search worker stopped (the next search gets a new one).
        503: ErrorSchema,
      },
    },
  }, async (request) => {
    const { q, cursor, limit, ...filters } = request.query;
    return orders.search(q, cursor, limit, filters);
  });
};
