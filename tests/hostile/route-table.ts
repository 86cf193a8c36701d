// Who may call each route, read from the routes themselves: a test-only build of the app whose Fastify
// instances record every route's `config.allow` as it is added (an onRoute hook), so the hostile cases
// expect exactly what the code declares rather than a hand-kept list that drifts.
//
// Use it from a test file with:
//   vi.mock('fastify', async (importOriginal) => (await import('./route-table')).recordingFastify(await importOriginal()));
import type { FastifyInstance, RouteOptions } from 'fastify';

/** 'public': anyone; a role list: those roles (devices act as packers); 'closed': a route that forgot to say. */
export type Access = 'public' | 'closed' | readonly string[];

export interface RecordedRoute {
  method: string;
  /** Fastify's form, e.g. /api/v1/captures/:id */
  url: string;
  access: Access;
  /** From the route schema: multipart routes declare what they consume, which the OpenAPI body does not show. */
  consumes?: string[];
  /** The schemas Fastify validates with (TypeBox objects are JSON Schema). */
  schema?: { body?: object; querystring?: object; params?: object; headers?: object };
}

const tables = new WeakMap<object, RecordedRoute[]>();

/** Access control is installed inside the API scope only; outside it (share links, the app, health) every route is public by design. */
function accessOf(url: string, allow: unknown): Access {
  if (allow === 'public') return 'public';
  if (Array.isArray(allow)) return allow as string[];
  return url.startsWith('/api/') ? 'closed' : 'public';
}

type FastifyFactory = (options?: unknown) => FastifyInstance;

/** Wraps the fastify module so every instance it makes records its routes. */
export function recordingFastify<M extends { default: unknown }>(original: M): M {
  const make = original.default as FastifyFactory;
  const factory = (options?: unknown) => {
    const app = make(options);
    const routes: RecordedRoute[] = [];
    tables.set(app, routes);
    app.addHook('onRoute', (route: RouteOptions) => {
      const config = route.config as { allow?: unknown } | undefined;
      const schema = route.schema as (RecordedRoute['schema'] & { consumes?: string[] }) | undefined;
      for (const method of [route.method].flat()) {
        routes.push({ method: String(method).toUpperCase(), url: route.url, access: accessOf(route.url, config?.allow), consumes: schema?.consumes, schema });
      }
    });
    return app;
  };
  Object.assign(factory, make);
  return { ...original, default: factory, fastify: factory };
}

/** The routes an app built under recordingFastify declared; throws if the mock was not installed. */
export function recordedRoutes(app: object): RecordedRoute[] {
  const routes = tables.get(app);
  if (!routes) throw new Error('no route table: the test file must vi.mock("fastify") with recordingFastify (see route-table.ts)');
  return routes;
}

/** OpenAPI's /a/{id} as Fastify's /a/:id. */
export const fastifyPath = (openApiPath: string) => openApiPath.replace(/\{([^}]+)\}/g, ':$1');

export function routeFor(routes: RecordedRoute[], method: string, openApiPath: string): RecordedRoute | undefined {
  const url = fastifyPath(openApiPath);
  return routes.find((route) => route.method === method.toUpperCase() && route.url === url);
}
