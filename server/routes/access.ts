// Who is calling, and may they? Every route declares `config.allow`; a route that forgets is closed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../storage/identity.repository';
import { fail } from '../errors';
import type { AuthService, Principal } from '../services/auth.service';
import { isTokenOfKind } from '../services/secrets';

export const SESSION_COOKIE = 'packtrail_session';

export const STAFF: Role[] = ['owner', 'seller'];
export const EVERYONE: Role[] = ['owner', 'seller', 'packer'];
export const OWNER: Role[] = ['owner'];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'public' for routes anyone may call; otherwise the roles allowed (devices act as packers). */
    allow?: 'public' | Role[];
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

const stateChanging = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The token, and whether the browser attached it by itself (the cookie) or the caller sent it. */
function credentialOf(request: FastifyRequest): { token: string; fromCookie: boolean } | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match ? { token: match[1], fromCookie: false } : undefined;
  }
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? { token: cookie, fromCookie: true } : undefined;
}

/**
 * A browser attaches the cookie to requests that any page starts, and SameSite=Lax lets through pages
 * on another port of the same host. Browsers name the page's origin on every POST, PUT, PATCH and
 * DELETE, so a change is accepted only from the service's own origin: PUBLIC_URL's, or the one the
 * request was addressed to (a DNS-rebound name never carries this service's cookie).
 */
function fromOwnPages(request: FastifyRequest, publicOrigin: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return request.headers['sec-fetch-site'] === 'same-origin';
  const claimed = origin.toLowerCase();
  return claimed === publicOrigin || claimed === `${request.protocol}://${request.host}`.toLowerCase();
}

/** The caller, for handlers of routes that are not public (the hook has already checked). */
export function principalOf(request: FastifyRequest): Principal {
  return request.principal ?? fail('UNAUTHORIZED');
}

export const accessControl = fp(async (app: FastifyInstance, { auth, publicUrl }: { auth: Pick<AuthService, 'authenticate'>; publicUrl: string }) => {
  const publicOrigin = new URL(publicUrl).origin.toLowerCase();
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const allow = request.routeOptions.config.allow;
    if (allow === 'public') return;
    const credential = credentialOf(request);
    if (credential?.fromCookie && stateChanging.has(request.method) && !fromOwnPages(request, publicOrigin)) {
      fail('CSRF_REJECTED', "A change made with the session cookie must come from this service's own pages; other apps send the token as Authorization: Bearer.");
    }
    if (credential && isTokenOfKind(credential.token, 'share')) {
      fail('UNAUTHORIZED', "This is a share link's token: it opens the link's page (/s/…), not the API. Sign in or send an API token.");
    }
    const principal = credential ? auth.authenticate(credential.token) : undefined;
    if (!principal) fail('UNAUTHORIZED');
    request.principal = principal;
    if (!allow || !allow.includes(principal.role)) fail('FORBIDDEN');
  });
});
