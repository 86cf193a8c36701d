// The SKU catalogue and box sizes: list, edit, remove, and import a catalogue file. Owner and seller.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { fail } from '../errors';
import { isMultipartForm, readForm, SMALL_FORM } from '../multipart-form';
import type { SkuImport } from '../services/catalogue/sku-import';
import type { SkusService } from '../services/catalogue/skus.service';
import { STAFF } from './access';
import {
  Body, BoxSizeCodeSchema, BoxSizeSchema, errorResponses, Nullable, PackagingGramsSchema, PositiveInteger, RefusedRowSchema, ShortText, SkuSchema,
  SkuSchemaView, Text,
} from './schemas';

/** A catalogue file: the same ceiling as an order export (COMMON: ≤ 50 MB). */
const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

const UnitWeightSchema = Type.Number({ minimum: 0, maximum: 1_000_000 });

export const skusRoutes: FastifyPluginAsyncTypebox<{ skus: SkusService; skuImport: SkuImport }> = async (app, { skus, skuImport }) => {
  app.get('/skus', {
    config: { allow: STAFF },
    schema: {
      tags: ['catalogue'],
      summary: 'The SKU catalogue in SKU order, optionally only SKUs or names holding q',
      querystring: Type.Object({
        q: Type.Optional(Text(128)),
        cursor: Type.Optional(Text(256)),
        limit: Type.Optional(PositiveInteger({ maximum: 200, default: 50 })),
      }),
      response: { 200: Type.Object({ items: Type.Array(SkuSchemaView), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
    },
  }, async (request) => skus.list(request.query.q, request.query.cursor, request.query.limit));

  app.get('/skus/:sku', {
    config: { allow: STAFF },
    schema: { tags: ['catalogue'], summary: 'One SKU', params: Type.Object({ sku: SkuSchema }), response: { 200: SkuSchemaView, ...errorResponses } },
  }, async (request) => skus.get(request.params.sku));

  app.put('/skus/:sku', {
    config: { allow: STAFF },
    schema: {
      tags: ['catalogue'],
      summary: 'Add or replace a SKU: its name, unit weight in grams and box size; a field left out or null is cleared',
      description:
        'Orders read the catalogue when they are read: an item with this SKU and no weight of its own is counted with this unit weight, ' +
        'and an order with no packaging weight of its own with its items\' largest box size. Finished captures keep, in the evidence log, ' +
        'the expected weight they were judged against.',
      params: Type.Object({ sku: SkuSchema }),
      body: Body({
        name: Type.Optional(Nullable(ShortText(500))),
        unitWeightGrams: Type.Optional(Nullable(UnitWeightSchema)),
        boxSize: Type.Optional(Nullable(BoxSizeCodeSchema)),
      }),
      response: { 200: SkuSchemaView, 201: SkuSchemaView, ...errorResponses },
    },
  }, async (request, reply) => {
    const { created, sku } = skus.put(request.params.sku, request.body);
    return reply.code(created ? 201 : 200).send(sku);
  });

  app.delete('/skus/:sku', {
    config: { allow: STAFF },
    schema: { tags: ['catalogue'], summary: 'Remove a SKU from the catalogue', params: Type.Object({ sku: SkuSchema }), response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    skus.remove(request.params.sku);
    return reply.code(204).send(null);
  });

  app.post('/skus/imports', {
    config: { allow: STAFF },
    schema: {
      tags: ['catalogue'],
      summary: 'Import a catalogue file (CSV in any delimiter, UTF-8 or CP949, or XLSX) as multipart, one part named "file"',
      description:
        'Header names in English or Korean: SKU/상품코드 (required), 상품명/name, 무게/weight, 단위/unit (g, kg, lb, oz; default g, or the unit in ' +
        'the weight header, "weight (kg)"), 박스/box (a box size code). Good rows are written in one transaction; each other row is refused with its ' +
        'line (the header is line 1) and a code. Formula cells are refused, never evaluated. An empty cell keeps what the catalogue holds.',
      consumes: ['multipart/form-data'],
      response: {
        200: Type.Object({ created: Type.Integer(), updated: Type.Integer(), refused: Type.Array(RefusedRowSchema) }),
        ...errorResponses,
      },
    },
  }, async (request, reply) => {
    if (!isMultipartForm(request.raw)) fail('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data, in a part named "file".');
    try {
      const form = readForm(request.raw, { ...SMALL_FORM, files: 1, fileBytes: MAX_IMPORT_BYTES });
      const { value: part } = await form.next();
      if (part?.kind !== 'file' || part.name !== 'file') fail('VALIDATION_FAILED', 'Send the catalogue in a file part named "file".');
      // The file's bytes, and then the rest of the form: the import sees the file end only once the
      // whole body is in, so a form cut off after the file imports nothing. A file over the limit fails
      // with 413 before its end.
      async function* wholeForm(file: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
        yield* file;
        if (!(await form.next()).done) fail('VALIDATION_FAILED', 'Send only the catalogue, in one file part named "file".');
      }
      const result = await skuImport.importFile(wholeForm(part.body));
      request.log.info({ created: result.created, updated: result.updated, refused: result.refused.length }, 'sku catalogue imported');
      return result;
    } catch (error) {
      // The rest of a refused file is not worth receiving.
      if (!request.raw.readableEnded) reply.header('connection', 'close');
      throw error;
    }
  });

  app.get('/box-sizes', {
    config: { allow: STAFF },
    schema: { tags: ['catalogue'], summary: "The shop's box sizes and their packaging weights", response: { 200: Type.Object({ items: Type.Array(BoxSizeSchema) }), ...errorResponses } },
  }, async () => skus.listBoxSizes());

  app.put('/box-sizes/:code', {
    config: { allow: STAFF },
    schema: {
      tags: ['catalogue'],
      summary: "Add or change a box size and what its packaging (box, filler, tape) weighs, in grams",
      params: Type.Object({ code: BoxSizeCodeSchema }),
      body: Body({ name: Type.Optional(Nullable(ShortText(200))), packagingWeightGrams: PackagingGramsSchema }),
      response: { 200: BoxSizeSchema, 201: BoxSizeSchema, ...errorResponses },
    },
  }, async (request, reply) => {
    const { created, boxSize } = skus.putBoxSize(request.params.code, request.body);
    return reply.code(created ? 201 : 200).send(boxSize);
  });

  app.delete('/box-sizes/:code', {
    config: { allow: STAFF },
    schema: {
      tags: ['catalogue'],
      summary: 'Remove a box size; 409 CONFLICT while SKUs use it',
      params: Type.Object({ code: BoxSizeCodeSchema }),
      response: { 204: Type.Null(), ...errorResponses },
    },
  }, async (request, reply) => {
    skus.removeBoxSize(request.params.code);
    return reply.code(204).send(null);
  });
};
