// Who is calling, and may they? Every route declares `config.allow`; a route that forgets is closed.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Role } from '../../storage/identity.repository';
import { fail } from '../errors';
import type { AuthService, Principal } from '../services/auth.service';

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

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match?.[1];
  }
  return request.cookies?.[SESSION_COOKIE];
}

/** The caller, for handlers of routes that are not public (the hook has already checked). */
export function principalOf(request: FastifyRequest): Principal {
  return request.principal ?? fail('UNAUTHORIZED');
}

export const accessControl = fp(async (app: FastifyInstance, { auth }: { auth: Pick<AuthService, 'authenticate'> }) => {
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (request) => {
    if (request.is404) return;
    const allow = request.routeOptions.config.allow;
    if (allow === 'public') return;
    const token = bearerToken(request);
    const principal = token ? auth.authenticate(token) : undefined;
    if (!principal) fail('UNAUTHORIZED');
    request.principal = principal;
    if (!allow || !allow.includes(principal.role)) fail('FORBIDDEN');
  });
});
