// The browser apps: the packer app at /pack (static files from server/web/pack).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

const webDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'web');

export const webRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, {
    root: path.join(webDir, 'pack'),
    prefix: '/pack/',
    decorateReply: false,
    allowedPath: () => true,
  });
  app.get('/pack', { config: { allow: 'public' } }, async (_request, reply) => reply.redirect('/pack/'));
};
