// The dashboard's screens by address, in Fastify's path syntax: the server answers each with the
// page (so a reload or a pasted link opens that screen) and the browser's router reads the same list.
// Plain data, no imports: both the server and the browser bundle load it.
export const dashboardScreens = {
  search: '/',
  phones: '/phones',
  order: '/orders/:orderId',
} as const;
