// The dashboard's screens by address, in Fastify's path syntax: the server answers each with the
// page (so a reload or a pasted link opens that screen) and the browser's router reads the same list.
// Plain data, no imports: both the server and the browser bundle load it.
export const dashboardScreens = {
  today: '/',
  search: '/search',
  /** Before `order` in meaning: the router reads this address first, as it would match `/orders/:orderId`. */
  importOrders: '/orders/import',
  order: '/orders/:orderId',
  disputes: '/disputes',
  dispute: '/disputes/:disputeId',
  phones: '/phones',
  users: '/users',
  settings: '/settings',
  replyTemplates: '/settings/replies',
  skuCatalogue: '/settings/skus',
  /** Opened from an invite link (`/invite#code=…`) without signing in: the invited person sets a password. */
  invite: '/invite',
} as const;
