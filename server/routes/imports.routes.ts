// Order imports: presets, remembered column mappings, upload into a preview, and the commit.
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fail } from '../errors';
import { isMultipartForm, readForm, SMALL_FORM } from '../multipart-form';
import { checkMapping, type ImportsService } from '../services/imports/imports.service';
import { importChannels, type ColumnMapping, type ImportChannel } from '../services/imports/presets';
import { principalOf, STAFF } from './access';
import { ErrorSchema, errorResponses, RefusedRowSchema, UuidSchema } from './schemas';

interface Options {
  imports: ImportsService;
  /** Where uploaded files wait while they are read (removed as soon as the preview is made). */
  stagingDir: string;
}

/** The largest export file taken. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const ChannelSchema = Type.Union(importChannels.map((channel) => Type.Literal(channel)));
const Header = Type.Optional(Type.String());
const ColumnsSchema = Type.Object({
  orderId: Type.String(), trackingNumber: Header, carrier: Header, buyerName: Header, buyerRef: Header, deliveryNote: Header,
  itemSku: Header, itemName: Header, itemQuantity: Header, itemValue: Header, declaredValue: Header, currency: Header,
});
const PreviewSchema = Type.Object({
  id: Type.String(),
  channel: ChannelSchema,
  fileName: Type.Optional(Type.String()),
  status: Type.Union([Type.Literal('preview'), Type.Literal('committed')]),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  totals: Type.Object({
    rows: Type.Integer(), recognised: Type.Integer(), newOrders: Type.Integer(), updatedOrders: Type.Integer(), unchangedOrders: Type.Integer(), refused: Type.Integer(),
    // Absent from previews made before it was counted.
    newWithoutTracking: Type.Optional(Type.Integer()),
  }),
  refused: Type.Array(RefusedRowSchema),
  sample: Type.Array(
    Type.Object({
      line: Type.Integer(),
      orderId: Type.String(),
      action: Type.Union([Type.Literal('new'), Type.Literal('update'), Type.Literal('unchanged')]),
      trackingNumbers: Type.Array(Type.String()),
      buyerName: Type.Optional(Type.String()),
      items: Type.Array(Type.Object({ sku: Type.Optional(Type.String()), name: Type.String(), quantity: Type.Integer() })),
    }),
  ),
});

export const importsRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { imports, stagingDir }) => {
  app.get('/orders/import-presets', {
    config: { allow: STAFF },
    schema: {
      tags: ['orders'],
      summary: 'Column presets for marketplace order exports',
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ channel: ChannelSchema, name: Type.String(), columns: ColumnsSchema })) }), ...errorResponses },
    },
  }, async () => ({ items: imports.presets() }));

  const channelParams = Type.Object({ channel: ChannelSchema });
  const MappingSchema = Type.Object({ channel: ChannelSchema, columns: ColumnsSchema });

  app.get('/orders/import-mappings/:channel', {
    config: { allow: STAFF },
    schema: { tags: ['orders'], summary: "The channel's remembered column mapping, else its preset's", params: channelParams, response: { 200: MappingSchema, ...errorResponses } },
  }, async (request) => imports.mapping(request.params.channel));

  app.put('/orders/import-mappings/:channel', {
    config: { allow: STAFF },
    schema: {
      tags: ['orders'],
      summary: 'Remember a column mapping for the next import of this channel',
      params: channelParams,
      body: Type.Object({ columns: Type.Record(Type.String(), Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      response: { 200: MappingSchema, ...errorResponses },
    },
  }, async (request) => imports.rememberMapping(request.params.channel, request.body.columns));

  app.post('/orders/imports', {
    config: { allow: STAFF },
    schema: {
      tags: ['orders'],
      summary: 'Upload an order export (CSV, TSV or XLSX) into a preview; nothing is written to orders',
      description:
        'multipart/form-data: a text field `channel` first, optionally `columns` (a JSON mapping of field → header name), then one ' +
        '`file` part of at most 50 MB. Rows are checked one by one; refused rows are listed with their line (the header is line 1).',
      consumes: ['multipart/form-data'],
      response: { 201: PreviewSchema, ...errorResponses, 413: ErrorSchema, 415: ErrorSchema },
    },
  }, async (request, reply) => {
    if (!isMultipartForm(request.raw)) {
      reply.header('connection', 'close');
      fail('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data with the fields channel, columns (optional) and file.');
    }
    await fs.promises.mkdir(stagingDir, { recursive: true });
    const file = path.join(stagingDir, `${randomUUID()}.upload`);
    let channel: ImportChannel | undefined;
    let columns: ColumnMapping | undefined;
    let fileName: string | undefined;
    let received = false;
    try {
      for await (const part of readForm(request.raw, { ...SMALL_FORM, files: 1, fileBytes: MAX_IMPORT_BYTES })) {
        if (part.kind === 'field') {
          const { value } = part;
          if (part.name === 'channel') {
            if (!(importChannels as readonly string[]).includes(value)) fail('VALIDATION_FAILED', `channel must be one of ${importChannels.join(', ')}.`);
            channel = value as ImportChannel;
          } else if (part.name === 'columns') {
            let parsed: unknown;
            try {
              parsed = JSON.parse(value);
            } catch {
              fail('VALIDATION_FAILED', 'columns must be a JSON object of field → header name.');
            }
            columns = checkMapping(parsed);
          }
          continue;
        }
        if (part.name !== 'file' || received) fail('VALIDATION_FAILED', 'Send one file part named "file".');
        if (channel === undefined) fail('VALIDATION_FAILED', 'Send the channel field before the file.');
        // A file over the limit fails the stream with 413 before its end.
        await pipeline(part.body, fs.createWriteStream(file, { flags: 'wx' }));
        fileName = part.filename || undefined;
        received = true;
      }
      if (!received || channel === undefined) fail('VALIDATION_FAILED', 'Send the fields channel and file.');
      const principal = principalOf(request);
      const preview = await imports.preview({ channel, columns, file, fileName, userId: principal.kind === 'user' ? principal.id : undefined });
      request.log.info({ importId: preview.id, channel, rows: preview.totals.rows, refused: preview.totals.refused }, 'order import previewed');
      return reply.code(201).send(preview);
    } catch (error) {
      if (!request.raw.readableEnded) reply.header('connection', 'close');
      throw error;
    } finally {
      await fs.promises.rm(file, { force: true });
    }
  });

  const idParams = Type.Object({ id: UuidSchema });

  app.get('/orders/imports/:id', {
    config: { allow: STAFF },
    schema: { tags: ['orders'], summary: 'An import preview (or the import, once committed)', params: idParams, response: { 200: PreviewSchema, ...errorResponses } },
  }, async (request) => imports.get(request.params.id));

  app.post('/orders/imports/:id/commit', {
    config: { allow: STAFF },
    schema: {
      tags: ['orders'],
      summary: "Write the preview's orders in one transaction",
      description: 'Orders are created or updated as PUT /orders/:orderId would; captures stay. 409 ALREADY_COMMITTED the second time, 410 IMPORT_EXPIRED after a day.',
      params: idParams,
      response: {
        200: Type.Object({ id: Type.String(), status: Type.Literal('committed'), created: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer() }),
        ...errorResponses,
        410: ErrorSchema,
      },
    },
  }, async (request) => {
    const result = await imports.commitInBackground(request.params.id);
    request.log.info({ importId: result.id, created: result.created, updated: result.updated, unchanged: result.unchanged }, 'order import committed');
    return result;
  });
};
