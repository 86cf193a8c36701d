// buildApp(config): storage → services → routes, the whole architecture in one place. No listen.
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { StorageUnavailableError } from '../storage/blobs/blob-store';
import { openBlobStores } from '../storage/blobs/open-stores';
import type { S3OriginalsStore } from '../storage/blobs/s3.store';
import { createCapturesRepository } from '../storage/captures.repository';
import { lockDataDir } from '../storage/data-dir-lock';
import { openDatabase } from '../storage/database';
import { openDiskReserve } from '../storage/disk-reserve';
import { createIdempotencyRepository } from '../storage/idempotency.repository';
import { createIdentityRepository } from '../storage/identity.repository';
import { createImportsRepository } from '../storage/imports.repository';
import { createMediaRepository } from '../storage/media.repository';
import { createDisputesRepository } from '../storage/disputes.repository';
import { createOrdersRepository } from '../storage/orders.repository';
import { createOverviewRepository } from '../storage/overview.repository';
import { createReplyTemplatesRepository } from '../storage/reply-templates.repository';
import { createRetentionRepository } from '../storage/retention.repository';
import { readOrCreateSecret } from '../storage/secret-file';
import { createSkusRepository } from '../storage/skus.repository';
import { createResumableUploads, UploadRefusal } from '../storage/resumable-uploads';
import { isLoopbackHost, type Config } from './config';
import { defaultLanguage } from './domain/vocabulary';
import { answerClientError, answerFrameworkError, installErrorHandler } from './error-handler';
import { lingerBeforeClosing } from './lingering-close';
import { loadTls } from './tls';
import { AppError, errorBody } from './errors';
import { accessControl } from './routes/access';
import { auditRoutes } from './routes/audit.routes';
import { capturesRoutes } from './routes/captures.routes';
import { bundlesRoutes } from './routes/bundles.routes';
import { disputesRoutes } from './routes/disputes.routes';
import { healthRoutes } from './routes/health.routes';
import { identityRoutes } from './routes/identity.routes';
import { importsRoutes } from './routes/imports.routes';
import { mediaRoutes } from './routes/media.routes';
import { shareRoutes } from './routes/share.routes';
import { shopRoutes } from './routes/shop.routes';
import { uploadsRoutes } from './routes/uploads.routes';
import { sendPageNotFound, webRoutes } from './routes/web.routes';
import { ordersRoutes } from './routes/orders.routes';
import { overviewRoutes } from './routes/overview.routes';
import { packetsRoutes } from './routes/packets.routes';
import { repliesRoutes } from './routes/replies.routes';
import { retentionRoutes } from './routes/retention.routes';
import { skusRoutes } from './routes/skus.routes';
import { startScheduler } from './jobs/scheduler';
import { ledgerRoutes } from './routes/ledger.routes';
import { createAuditService } from './services/audit.service';
import { createAuthService } from './services/auth.service';
import { createBuyerDetailsService } from './services/buyer-details.service';
import { createCapturesService } from './services/captures.service';
import { createSkuImport } from './services/catalogue/sku-import';
import { createSkusService } from './services/catalogue/skus.service';
import { createBundleService } from './services/bundle.service';
import { createDisputesService } from './services/disputes.service';
import { createIdempotencyService } from './services/idempotency.service';
import { createImportCommitter } from './services/imports/commit-pool';
import { createImportsService } from './services/imports/imports.service';
import { createLedgerService } from './services/ledger/ledger.service';
import { proposeLogName } from './services/ledger/log-name';
import { createTimestampService } from './services/ledger/timestamps';
import { createScrubService } from './services/ledger/scrub.service';
import { createVerificationKitService } from './services/ledger/verification-kit';
import { createMediaProcessor } from './services/media-processing.service';
import { createMediaService } from './services/media.service';
import { createOrdersService } from './services/orders.service';
import { createOverviewService } from './services/overview.service';
import * as fitting from './services/packets/fitting';
import { createPacketLinks } from './services/packets/packet-links';
import { createPacketsService } from './services/packets/packets.service';
import { renderClaimLetter } from './services/reports/claim-letter';
import { renderDisputeReport } from './services/reports/dispute-report';
import { createRepliesService } from './services/replies.service';
import { createRetentionService } from './services/retention.service';
import { createSearchPool } from './services/search-pool';
import { createSharesService } from './services/shares.service';
import { createShopService } from './services/shop.service';
import { createUsersService } from './services/users.service';
import { createUploadsService } from './services/uploads.service';
import { createValidatorCompiler, installJsonBodyParser, requestIdOf } from './validation';

declare module 'fastify' {
  interface FastifyInstance {
    runJob(name: string): Promise<unknown>;
  }
}

/** The tus protocol's own refusals, in the API's stable codes. */
const tusErrorCodes: Record<number, string> = {
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  410: 'GONE',
  412: 'TUS_VERSION_REQUIRED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  503: 'STORAGE_UNAVAILABLE',
  507: 'INSUFFICIENT_STORAGE',
};

/** Setup, sign-in and pairing bodies are a few hundred bytes; anonymous clients get no room beyond that. */
const PUBLIC_BODY_LIMIT = 8 * 1024;
/** Signed-in routes take the largest JSON body of ours (an order with hundreds of items). */
const SIGNED_IN_BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  /** Tests move time forward to expire sessions and links. */
  clock?: () => Date;
}

function loggerOptions(config: Config) {
  const pretty = process.stdout.isTTY && config.logLevel !== 'silent';
  return {
    level: config.logLevel,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    // Share-link tokens and upload IDs travel in the path; whoever reads the logs must not be able to open
    // the links or write into the uploads. For an upload, its query goes too (it could repeat the ID).
    serializers: {
      req: (request: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: request.method,
        url: request.url.replace(/\/s\/[^/?#]+/, '/s/<token>').replace(/\/uploads\/.+$/is, '/uploads/<id>'),
        host: request.hostname,
        remoteAddress: request.ip,
      }),
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:standard' } } } : {}),
  };
}

export async function buildApp(config: Config, { clock = () => new Date() }: AppOptions = {}) {
  // Before anything touches DATA_DIR (start-up sweeps included): a second service on it stops here.
  const dataDirLock = lockDataDir(config.dataDir, 'service');
  const tls = await loadTls(config);
  const app = Fastify({
    ...(tls ? { https: tls } : {}),
    logger: loggerOptions(config),
    // A client's X-Request-Id is kept only when it is a short plain token: the logs are not the client's to write.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // Order IDs are up to 128 characters; longer ones must reach validation and get a 400, not a 414.
    routerOptions: { maxParamLength: 512 },
    trustProxy: config.trustProxy,
    // Unknown routes and routes open without signing in read small bodies only (see onRoute below).
    bodyLimit: PUBLIC_BODY_LIMIT,
    // Requests refused before routing still answer in the API's error shape.
    clientErrorHandler: answerClientError,
    frameworkErrors: answerFrameworkError,
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(createValidatorCompiler());
  installJsonBodyParser(app);
  app.addHook('onRoute', (route) => {
    if (Array.isArray(route.config?.allow)) route.bodyLimit ??= SIGNED_IN_BODY_LIMIT;
  });

  // Storage
  // Room only the database may use, so reads, exports and sign-ins outlast a disk something else filled.
  const reserve = openDiskReserve(config.dataDir, Math.min(16 * 1024 ** 2, Math.floor(config.minFreeDiskBytes / 4)), app.log);
  const db = openDatabase(config.dataDir, undefined, { onDiskFull: reserve.release });
  // Originals where BLOB_STORE says (this disk or an object store), derived files on this disk.
  const { originals, derived } = openBlobStores(config, { reserve, clock });
  const identityRepo = createIdentityRepository(db);
  const ordersRepo = createOrdersRepository(db);
  const capturesRepo = createCapturesRepository(db);
  const mediaRepo = createMediaRepository(db);
  const idempotencyRepo = createIdempotencyRepository(db);

  // Services
  const shopSettings = createShopService({ identity: identityRepo });
  const timestamps = createTimestampService({ db, tsaUrl: config.tsaUrl, log: app.log, clock });
  // The log is named once, at setup, from PUBLIC_URL's host or the shop's name; a log that already has
  // a name (its key's) keeps it whatever PUBLIC_URL says later. Each checkpoint signed is time-stamped
  // by the TSA_URL authority in the background: signing never waits for it.
  const ledger = createLedgerService({
    db,
    dataDir: config.dataDir,
    origin: () => proposeLogName({ shopName: shopSettings.find()?.name, publicUrl: config.publicUrl }),
    onCheckpoint: (checkpoint) => void timestamps.stamp(checkpoint),
    clock,
  });
  const auth = createAuthService({ db, identity: identityRepo, clock, config, onSetUp: () => ledger.fixName() });
  const users = createUsersService({ db, identity: identityRepo, startSession: auth.startSession, clock, config });
  // Searches run in worker threads beside this one, so they never stall other requests (search-pool.ts).
  const searchPool = config.searchWorkers > 0 ? createSearchPool({ dataDir: config.dataDir, size: config.searchWorkers, log: app.log }) : undefined;
  const orders = createOrdersService({
    db, orders: ordersRepo, clock, shopTimezone: () => shopSettings.find()?.timezone ?? 'UTC', weightRules: shopSettings.weightRules, runSearch: searchPool?.run,
  });
  try {
    orders.pseudonymizeStoredAddresses();
  } catch (error) {
    // Another writer holds the database at start (a backup, say): the next start does it.
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    app.log.warn('buyer refs stored as e-mail addresses are pseudonymised at the next start: the database was busy');
  }
  // The SKU catalogue; orders read it through their items' SKUs (storage/orders.repository.ts items).
  const skus = createSkusService({ db, skus: createSkusRepository(db), clock });
  const skuImport = createSkuImport({ skus });
  // Order exports read into a preview, then committed through the orders service's upsert (services/imports).
  // The commit (one transaction) runs in a worker thread with its own connection (commit-pool.ts).
  const importCommitter = createImportCommitter({ dataDir: config.dataDir, log: app.log });
  const orderImports = createImportsService({ db, imports: createImportsRepository(db), orders, clock, runCommit: importCommitter.run });
  const captures = createCapturesService({ db, captures: capturesRepo, media: mediaRepo, orders, ledger, clock });
  const idempotency = createIdempotencyService({ idempotency: idempotencyRepo, clock });
  const processor = createMediaProcessor({
    media: mediaRepo,
    originals,
    derived,
    shopTimezone: () => shopSettings.find()?.timezone ?? 'UTC',
    concurrency: config.mediaWorkers,
    maxImagePixels: config.maxImagePixels,
    log: app.log,
  });
  const audit = createAuditService({ db, clock });
  const buyerDetails = createBuyerDetailsService({ orders: ordersRepo, imports: orderImports, audit, clock });
  const scrub = createScrubService({
    db, openOriginal: (sha256) => originals.open(sha256), hasOriginal: (sha256) => originals.has(sha256), listOriginals: () => originals.list(),
    checkLock: originals.checkLock && ((sha256) => originals.checkLock!(sha256)), audit, clock,
  });
  const media = createMediaService({
    db, originals, derived, media: mediaRepo, captures, ledger, audit, processor, config, clock,
    reservedBytes: async () => uploads.reservedBytes(await resumable.unfinished()),
  });
  const uploads = createUploadsService({ media, maxUnfinishedPerOwner: config.maxUnfinishedUploads });
  const disputes = createDisputesService({
    db,
    disputes: createDisputesRepository(db),
    orders,
    captures,
    media: mediaRepo,
    clock,
    publicUrl: config.publicUrl,
    timezone: () => shopSettings.find()?.timezone ?? 'UTC',
    // Recipients' own deadlines (Amazon, Coupang) where no respond-by date is set; packets is made below.
    moreReminders: () => packets.reminders(),
  });
  const resumable = createResumableUploads({
    directory: path.join(config.dataDir, 'uploads'),
    path: '/api/v1/uploads',
    expiryMs: config.uploadExpiryHours * 3_600_000,
    maxBytes: Math.max(...Object.values(config.maxBytes)),
    describeError: (status, message) => JSON.stringify(errorBody(status, tusErrorCodes[status] ?? (status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_FAILED'), message)),
    roomLeft: () => originals.roomLeft(),
    log: app.log,
    async onFinish(upload) {
      try {
        return { 'Packtrail-Media-Id': await uploads.complete(upload) };
      } catch (error) {
        if (error instanceof StorageUnavailableError) {
          // The phone keeps the upload and tries again: say so with a retryable 503, and log why for the operator.
          app.log.error({ err: error }, 'upload could not be stored');
          const refusal = new AppError('STORAGE_UNAVAILABLE');
          throw new UploadRefusal(refusal.statusCode, JSON.stringify(errorBody(refusal.statusCode, refusal.code, refusal.message)));
        }
        if (!(error instanceof AppError)) throw error;
        throw new UploadRefusal(error.statusCode, JSON.stringify(errorBody(error.statusCode, error.code, error.message)));
      }
    },
  });

  const kit = createVerificationKitService({ ledger, timestamps, publicUrl: config.publicUrl });
  const shopFacts = () => shopSettings.find() ?? { name: 'Packtrail', timezone: 'UTC', reportLanguage: defaultLanguage };
  const bundles = createBundleService({
    disputes,
    ledger,
    kit,
    originals,
    derived,
    audit,
    shop: shopFacts,
    stillsOf: processor.stillsOf,
    renderReport: (input, destination) => renderDisputeReport(input, destination, { maxImagePixels: config.maxImagePixels }),
    renderClaimLetter: (input, destination) => renderClaimLetter(input, destination, { maxImagePixels: config.maxImagePixels }),
    clock,
  });
  const shares = createSharesService({ disputes, audit });
  // Recipient packets: the bundle's evidence fitted to each processor's, marketplace's and courier's rules.
  // Packets' links to the full originals are derived from a secret of their own, so the listing can name them again.
  const packetLinks = createPacketLinks({ disputes, secret: readOrCreateSecret(path.join(config.dataDir, 'packet-links.key')), clock });
  const packets = createPacketsService({
    disputes, links: packetLinks, bundles, blobs: { originals, derived, stillsOf: processor.stillsOf }, fitting, audit, shop: shopFacts, workDir: path.join(config.dataDir, 'packet-work'), clock,
    attestedTime: config.tsaUrl !== undefined,
    linksReachable: !isLoopbackHost(new URL(config.publicUrl).hostname),
  });
  const overview = createOverviewService({
    overview: createOverviewRepository(db), disputes, timezone: () => shopFacts().timezone, weightRules: shopSettings.weightRules, clock,
  });
  // Days each original stays write-once (known once the bucket is asked, below): retention dates never come sooner.
  let objectLockDays = 0;
  // RETENTION_DAYS: old originals go unless held; removals keep the row, its ledger entry and custody.
  const retention = createRetentionService({
    db,
    retention: createRetentionRepository(db),
    media: mediaRepo,
    orders,
    audit,
    removeOriginal: (sha256) => originals.remove(sha256),
    removeDerived: (mediaId) => derived.removeAll(mediaId),
    exclusiveOriginals: media.exclusiveOriginals,
    retentionDays: config.retentionDays,
    lockDays: () => objectLockDays,
    clock,
    log: app.log,
  });
  const replies = createRepliesService({ templates: createReplyTemplatesRepository(db), disputes, shop: shopFacts, clock });

  // Whatever a crash interrupted is cleaned up or resumed before the first request.
  const sweptFiles = await originals.sweepStaging();
  const releasedKeys = idempotency.releaseAbandoned();
  const resumed = processor.resumePending();
  await packets.sweep();
  app.log.info({ sweptFiles, releasedKeys, resumed }, 'storage ready');
  if (originals.kind === 's3') {
    const { objectLock } = await (originals as S3OriginalsStore).checkBucket();
    if (!objectLock) {
      // Started anyway (S3_OBJECT_LOCK_DAYS was not set on purpose), but the operator must know.
      app.log.warn({ bucket: config.s3?.bucket }, 'the bucket has no Object Lock: originals there are not write-once; create a bucket with Object Lock enabled');
    }
    objectLockDays = objectLock ? (config.s3?.objectLockDays ?? 0) : 0;
    for (const warning of lockWarnings(objectLock, config.s3?.objectLockDays ?? 0, config.retentionDays)) app.log.warn({ bucket: config.s3?.bucket }, warning);
  }

  // HTTP
  installErrorHandler(app, { pageNotFound: sendPageNotFound });
  lingerBeforeClosing(app.server);
  // While shutting down, answered connections close instead of idling in keep-alive and holding the exit.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
    // Connections that go idle later (a download ending) are closed as they do, not after keep-alive times out.
    setInterval(() => app.server.closeIdleConnections(), 100).unref();
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });
  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        frameAncestors: ["'none'"],
        // Shops often run this on a LAN over plain HTTP; forcing HTTPS there would break every page.
        upgradeInsecureRequests: null,
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(rateLimit, { global: false });
  // Form bodies are left unread here: the routes that take them read them part by part (multipart-form.ts).
  app.addContentTypeParser('multipart/form-data', (_request, _body, done) => done(null));
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Packtrail API', version: '1', description: 'Packing and return evidence: timestamped, write-once, verifiable.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true, uiConfig: { docExpansion: 'list' } });

  await app.register(healthRoutes);
  await app.register(webRoutes);
  await app.register(shareRoutes, { shares, bundles, media, shop: shopFacts });
  await app.register(
    async (api) => {
      // Inside the API scope only: every API route is closed unless it says who may call it.
      await api.register(accessControl, { auth, publicUrl: config.publicUrl });
      await api.register(identityRoutes, {
        auth,
        users,
        shop: shopSettings,
        secureCookies: config.publicUrl.startsWith('https:'),
        loginAttemptsPerMinute: config.loginAttemptsPerMinute,
      });
      await api.register(shopRoutes, { shop: shopSettings });
      await api.register(ordersRoutes, { orders, captures, disputes, buyerDetails });
      await api.register(skusRoutes, { skus, skuImport });
      await api.register(importsRoutes, { imports: orderImports, stagingDir: path.join(config.dataDir, 'import-staging') });
      await api.register(disputesRoutes, { disputes });
      await api.register(overviewRoutes, { overview });
      await api.register(bundlesRoutes, { bundles });
      await api.register(packetsRoutes, { packets });
      await api.register(repliesRoutes, { replies });
      await api.register(capturesRoutes, { db, captures, idempotency });
      await api.register(mediaRoutes, { media, idempotency });
      await api.register(retentionRoutes, { retention });
      await api.register(ledgerRoutes, { ledger });
      await api.register(auditRoutes, { audit, media, captures, disputes });
      await api.register(uploadsRoutes, { uploads, resumable, ensureRoomFor: media.ensureDiskRoomFor });
    },
    { prefix: '/api/v1' },
  );

  // Jobs
  const scheduler = startScheduler(
    [
      {
        name: 'ledger-checkpoint',
        schedule: '*/10 * * * *',
        // Also the time-stamp retry: an authority that was down when the newest checkpoint was signed is asked again.
        run: async () => {
          if (!ledger.isNamed()) return 'the log is named at setup';
          const { size } = ledger.checkpoint();
          const stamp = await timestamps.stampLatest();
          return { size, ...(timestamps.enabled ? { timeStamped: stamp !== null } : {}) };
        },
      },
      { name: 'integrity-scrub', schedule: '17 * * * *', run: () => scrub.scrubBatch(config.scrubBatchSize) },
      { name: 'dispute-deadline-reminders', schedule: '*/15 * * * *', run: () => disputes.raiseReminders() },
      { name: 'retention', schedule: '25 2 * * *', run: () => retention.run() },
      { name: 'remove-abandoned-uploads', schedule: '5 * * * *', run: () => resumable.removeExpired() },
      { name: 'forget-import-buyer-details', schedule: '35 * * * *', run: () => orderImports.forgetBuyerDetails() },
      // With S3, what a crash or a cut connection left in staging/ (objects, unfinished multipart uploads) takes
      // space in the bucket until swept; a service that runs for months must not wait for its next start.
      // Local staging is swept only at start: that sweep takes every file, including uploads under way.
      {
        name: 'sweep-s3-staging',
        schedule: '45 * * * *',
        run: async () => (originals.kind === 's3' ? { sweptFiles: await originals.sweepStaging() } : 'local staging is swept at start'),
      },
      // Uploads make it again as they look for room; this is for a server that only serves reads meanwhile.
      { name: 'database-reserve', schedule: '*/5 * * * *', run: () => reserve.replenish(config.minFreeDiskBytes) },
      { name: 'forget-idempotency-keys', schedule: '40 3 * * *', run: () => idempotency.forgetOlderThan(new Date(clock().getTime() - 7 * 86_400_000)) },
    ],
    app.log,
  );

  app.decorate('runJob', scheduler.run);
  app.addHook('onClose', async () => {
    await scheduler.stop();
    await timestamps.close();
    await processor.close();
    await searchPool?.close();
    await importCommitter.close();
    db.close();
    dataDirLock.release();
  });

  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;

/** What an operator must hear at start about S3_OBJECT_LOCK_DAYS against RETENTION_DAYS, in plain words. */
function lockWarnings(objectLock: boolean, lockDays: number, retentionDays: number): string[] {
  if (!objectLock) return [];
  if (lockDays === 0) {
    return ['S3_OBJECT_LOCK_DAYS=0 on a bucket with Object Lock: originals are written without COMPLIANCE retention, so anyone with the bucket\'s keys can alter or delete them; set S3_OBJECT_LOCK_DAYS to keep them write-once'];
  }
  if (retentionDays > 0 && lockDays > retentionDays) {
    return [
      `S3_OBJECT_LOCK_DAYS=${lockDays} outlasts RETENTION_DAYS=${retentionDays}: no original can be removed before its lock ends, ${lockDays} days after upload, ` +
        'so retention removes originals then, not after RETENTION_DAYS; lower S3_OBJECT_LOCK_DAYS if they must go sooner',
    ];
  }
  return [];
}
