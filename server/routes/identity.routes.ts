// Setup, sign-in, users (added, invited, disabled) and paired devices.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuthService } from '../services/auth.service';
import type { ShopService } from '../services/shop.service';
import type { UsersService } from '../services/users.service';
import { isLoopbackHost } from '../config';
import { OWNER, principalOf, SESSION_COOKIE, STAFF } from './access';
import {
  Body, DeviceSchema, EmailSchema, errorResponses, ErrorSchema, PasswordSchema, RoleSchema, Secret, ShopSchema, ShortText, Text, UserSchema, UuidSchema,
} from './schemas';

interface Options {
  auth: AuthService;
  users: UsersService;
  shop: ShopService;
  secureCookies: boolean;
  loginAttemptsPerMinute: number;
}

/**
 * A link to localhost (PUBLIC_URL's default) opens nothing on a phone or another computer. Then the
 * address the seller is browsing from is the best one known: a seller at http://192.168.1.20:8080 gets
 * a link the shop's phones and desks can open. A PUBLIC_URL naming any other host is kept as it is.
 */
export function reachableFromOtherMachines(link: string, requestOrigin: string): string {
  const url = new URL(link);
  if (!isLoopbackHost(url.hostname)) return link;
  const origin = new URL(requestOrigin);
  return new URL(url.pathname + url.search + url.hash, origin).href;
}

const SessionSchema = Type.Object({ user: UserSchema, token: Type.String(), expiresAt: Type.String() });
const InviteSchema = Type.Object({ user: UserSchema, inviteUrl: Type.String(), inviteExpiresAt: Type.String() });
const InviteCodeSchema = Secret(200, 1);

export const identityRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { auth, users, shop, secureCookies, loginAttemptsPerMinute }) => {
  const setSessionCookie = (reply: { setCookie: Function }, token: string, expiresAt: string) =>
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: secureCookies,
      expires: new Date(expiresAt),
    });

  app.get('/setup', {
    config: { allow: 'public' },
    schema: {
      tags: ['identity'],
      summary: 'Whether the shop is set up: the dashboard shows its setup form until it is',
      response: { 200: Type.Object({ setUp: Type.Boolean() }), ...errorResponses },
    },
  }, async () => ({ setUp: auth.isSetUp() }));

  app.post('/setup', {
    // Public until the first owner exists: no address may hammer it meanwhile.
    config: { allow: 'public', rateLimit: { max: loginAttemptsPerMinute, timeWindow: '1 minute' } },
    schema: {
      tags: ['identity'],
      summary: 'Create the shop and its first owner (only once)',
      body: Body({
        email: EmailSchema,
        password: PasswordSchema,
        shopName: ShortText(200),
        timezone: Type.Optional(Text(64)),
      }),
      response: { 201: SessionSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const session = await auth.setup(request.body);
    setSessionCookie(reply, session.token, session.expiresAt);
    return reply.code(201).send(session);
  });

  app.post('/sessions', {
    config: {
      allow: 'public',
      // Per address and account, once the body is read; failures per address across accounts are
      // limited by the service, so forty accounts with one guess each are no way round this.
      rateLimit: {
        max: loginAttemptsPerMinute,
        timeWindow: '1 minute',
        hook: 'preHandler',
        keyGenerator: (request) => `${request.ip}|${String((request.body as { email?: string } | undefined)?.email ?? '').toLowerCase()}`,
      },
    },
    schema: {
      tags: ['identity'],
      summary: 'Sign in; sets the session cookie and returns a bearer token',
      body: Body({ email: Text(254), password: Secret(256) }),
      response: { 200: SessionSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const session = await auth.login(request.body.email, request.body.password, request.ip);
    setSessionCookie(reply, session.token, session.expiresAt);
    return session;
  });

  app.delete('/sessions/current', {
    config: { allow: ['owner', 'seller', 'packer'] },
    schema: { tags: ['identity'], summary: 'Sign out: the token stops working', response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    auth.logout(principalOf(request));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/me', {
    config: { allow: ['owner', 'seller', 'packer'] },
    schema: {
      tags: ['identity'],
      summary: 'Who the token belongs to, and the shop',
      response: {
        200: Type.Object({
          kind: Type.Union([Type.Literal('user'), Type.Literal('device')]),
          id: Type.String(),
          name: Type.String(),
          role: RoleSchema,
          shop: ShopSchema,
        }),
        ...errorResponses,
      },
    },
  }, async (request) => {
    const principal = principalOf(request);
    return {
      kind: principal.kind,
      id: principal.id,
      name: principal.kind === 'user' ? principal.email : principal.name,
      role: principal.role,
      shop: shop.get(),
    };
  });

  app.post('/users', {
    config: { allow: OWNER },
    schema: {
      tags: ['users'],
      summary: 'Add a user with a password, or without one to invite them: the answer then carries a one-time inviteUrl (owner only)',
      body: Body({ email: EmailSchema, password: Type.Optional(PasswordSchema), role: RoleSchema }),
      response: {
        201: Type.Composite([UserSchema, Type.Object({ inviteUrl: Type.Optional(Type.String()), inviteExpiresAt: Type.Optional(Type.String()) })]),
        ...errorResponses,
      },
    },
  }, async (request, reply) => {
    const { email, password, role } = request.body;
    if (password !== undefined) return reply.code(201).send(await users.create({ email, password, role }));
    const { user, ...invite } = users.invite(principalOf(request), { email, role });
    return reply.code(201).send({ ...user, ...invite, inviteUrl: reachableFromOtherMachines(invite.inviteUrl, `${request.protocol}://${request.host}`) });
  });

  app.get('/users', {
    config: { allow: OWNER },
    schema: { tags: ['users'], summary: 'List users', response: { 200: Type.Object({ items: Type.Array(UserSchema) }), ...errorResponses } },
  }, async () => ({ items: users.list() }));

  app.patch('/users/:id', {
    config: { allow: OWNER },
    schema: {
      tags: ['users'],
      summary: "Disable or enable a user (a disabled user's sessions and tokens stop working at once), or change a role (owner only)",
      params: Type.Object({ id: UuidSchema }),
      body: Body({ disabled: Type.Optional(Type.Boolean()), role: Type.Optional(RoleSchema) }),
      response: { 200: UserSchema, ...errorResponses },
    },
  }, async (request) => users.update(principalOf(request), request.params.id, request.body));

  app.post('/users/:id/invite', {
    config: { allow: OWNER },
    schema: {
      tags: ['users'],
      summary: 'A new one-time invite link for someone invited who has not set a password yet; earlier links stop working (owner only)',
      params: Type.Object({ id: UuidSchema }),
      response: { 201: InviteSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const invite = users.reinvite(principalOf(request), request.params.id);
    return reply.code(201).send({ ...invite, inviteUrl: reachableFromOtherMachines(invite.inviteUrl, `${request.protocol}://${request.host}`) });
  });

  const inviteLimit = { max: loginAttemptsPerMinute, timeWindow: '1 minute' };

  app.post('/invites/preview', {
    config: { allow: 'public', rateLimit: inviteLimit },
    schema: {
      tags: ['users'],
      summary: "Whose account an invite link's code opens, before its password is set; 410 when used or expired",
      body: Body({ code: InviteCodeSchema }),
      response: { 200: Type.Object({ email: Type.String(), role: RoleSchema, shopName: Type.String() }), ...errorResponses, 410: ErrorSchema },
    },
  }, async (request) => users.previewInvite(request.body.code));

  app.post('/invites/accept', {
    config: { allow: 'public', rateLimit: inviteLimit },
    schema: {
      tags: ['users'],
      summary: "Set the password of an invited account with its link's one-time code; signs in (sets the session cookie)",
      body: Body({ code: InviteCodeSchema, password: PasswordSchema }),
      response: { 200: SessionSchema, ...errorResponses, 410: ErrorSchema },
    },
  }, async (request, reply) => {
    const session = await users.acceptInvite(request.body.code, request.body.password);
    setSessionCookie(reply, session.token, session.expiresAt);
    return session;
  });

  app.post('/devices', {
    config: { allow: STAFF },
    schema: {
      tags: ['devices'],
      summary: 'Register a packing phone; the token is shown once, the pairing link works once',
      body: Body({ name: ShortText(100) }),
      response: {
        201: Type.Object({
          id: Type.String(),
          name: Type.String(),
          createdAt: Type.String(),
          token: Type.String(),
          pairingUrl: Type.String(),
          pairingExpiresAt: Type.String(),
        }),
        ...errorResponses,
      },
    },
  }, async (request, reply) => {
    const device = auth.createDevice(principalOf(request), request.body.name);
    return reply.code(201).send({ ...device, pairingUrl: reachableFromOtherMachines(device.pairingUrl, `${request.protocol}://${request.host}`) });
  });

  app.get('/devices', {
    config: { allow: STAFF },
    schema: { tags: ['devices'], summary: 'List active devices', response: { 200: Type.Object({ items: Type.Array(DeviceSchema) }), ...errorResponses } },
  }, async () => ({ items: auth.listDevices() }));

  app.post('/devices/pair', {
    config: { allow: 'public', rateLimit: { max: loginAttemptsPerMinute, timeWindow: '1 minute' } },
    schema: {
      tags: ['devices'],
      summary: "Exchange a pairing link's one-time code for the phone's own device token",
      body: Body({ code: Secret(200, 1) }),
      response: { 200: Type.Object({ device: DeviceSchema, token: Type.String() }), ...errorResponses },
    },
  }, async (request) => auth.pairDevice(request.body.code));

  app.delete('/devices/:id', {
    config: { allow: STAFF },
    schema: {
      tags: ['devices'],
      summary: "Revoke a device: its tokens stop working at once",
      params: Type.Object({ id: UuidSchema }),
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (request, reply) => {
    auth.revokeDevice(request.params.id);
    return reply.code(204).send(null);
  });
};
