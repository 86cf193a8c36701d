// The evidence bundle: originals bit-exact, the report, the offline verification kit and a manifest,
// streamed as one ZIP. Originals flow from disk at once while the report renders beside them.
import { createHash } from 'node:crypto';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DerivedStore, OriginalsStore } from '../../storage/blobs/blob-store';
import { extensionFor } from '../../storage/file-types';
import { writeZip, type ZipEntry } from '../../storage/zip-writer';
import type { AuditService } from './audit.service';
import type { DisputesService, EvidenceOriginal } from './disputes.service';
import type { LedgerService } from './ledger/ledger.service';
import type { VerificationKitService } from './ledger/verification-kit';
import { EXPORT_STATEMENT_PATH, parseCaptureFacts } from './ledger/verifier/verify-core';
import { toMediaView } from './media-view';
import { splitRemoved } from './removed-media';
import { assessCaptureWeights } from './weights';
import { createLimiter } from './work-lane';
import { fail } from '../errors';
import { claimChecklist, defaultClaimKind } from './claims/claim-checklist';
import { tagsSetAfter } from './claims/tag-history';
import { withWords } from './reports/carrier-rules';
import { dateConflictSentence } from './reports/claim-letter';
import type { ClaimKind, Language } from '../domain/vocabulary';
import type { ClaimInput, EvidenceItem, ReportInput } from './reports/report-input';


export const BUNDLE_FORMAT = 'packtrail-bundle/v1';

export type BundleActor = { kind: 'user' | 'device' | 'share'; id: string };

/** A small document made elsewhere that travels in a packet beside its own (listed in the manifest). */
export interface ExtraDocument {
  path: string;
  description: string;
  content: Buffer;
}

interface ManifestFile {
  path: string;
  bytes: number;
  sha256: string;
  kind: 'original' | 'derived' | 'report' | 'verification' | 'readme';
  description: string;
  mediaId?: string;
  /** For a derived file (a video's MP4 playback copy): the original it was made from. */
  derivedFrom?: { path: string; sha256: string };
}

// Originals many recipients' players cannot open (browsers record WebM; stock players on Windows and
// macOS do not play it): their MP4 playback copy goes along, labelled as derived.
const PLAYBACK_COPY_FOR = new Set(['video/webm']);

/** A derived file travelling beside its original: whose it is, its size, and where it goes in the bundle. */
interface PlaybackCopy {
  index: number;
  mediaId: string;
  bytes: number;
  path: string;
}

/** The files a document draws an evidence item from: none are local paths until it renders (lendEvidenceFiles). */
type EvidenceData = Omit<EvidenceItem, 'originalPath' | 'previewPath' | 'stills'>;
interface EvidenceDraft {
  data: EvidenceData;
  mediaId: string;
  sha256: string;
  type: EvidenceItem['media']['type'];
  /** Stills made ahead of time, by their names in the derived store. */
  stills: { offsetMs: number; name: string }[];
}

/** Lends one file by path to `use` (a store's withLocalCopy or withLocalFile); may have none to lend. */
type Loan = (use: (file: string) => Promise<unknown>) => Promise<unknown>;

/**
 * Holds every loan at once while `use` runs with their paths, and gives them back afterwards. A loan
 * that fails before lending (an original gone, a still not made) lends nothing: the document then does
 * without that file, as it always has; a failure inside `use` is passed on.
 */
async function withLoans<T>(loans: Loan[], use: (files: (string | undefined)[]) => Promise<T>): Promise<T> {
  const files: (string | undefined)[] = new Array(loans.length).fill(undefined);
  const from = async (index: number): Promise<T> => {
    if (index === loans.length) return use(files);
    let lent = false;
    let result: T | undefined;
    try {
      await loans[index](async (file) => {
        lent = true;
        files[index] = file;
        result = await from(index + 1);
      });
    } catch (error) {
      if (lent) throw error;
    }
    return lent ? (result as T) : from(index + 1);
  };
  return from(0);
}

interface BundleDeps {
  disputes: Pick<DisputesService, 'get' | 'requireRow' | 'evidenceOriginals'>;
  ledger: Pick<LedgerService, 'publicKey' | 'origin'>;
  kit: VerificationKitService;
  originals: Pick<OriginalsStore, 'open' | 'withLocalCopy'>;
  derived: Pick<DerivedStore, 'stat' | 'open' | 'withLocalFile'>;
  audit: Pick<AuditService, 'record' | 'list'>;
  /** `reportLanguage`: what the documents are written in when an export names no language. */
  shop: () => { name: string; timezone: string; reportLanguage: Language };
  /** A video's stills made ahead of time, by their names in the derived store. */
  stillsOf: (mediaId: string) => Promise<{ offsetMs: number; name: string }[]>;
  renderReport: (input: ReportInput, destination: NodeJS.WritableStream) => Promise<void>;
  renderClaimLetter: (input: ClaimInput, destination: NodeJS.WritableStream) => Promise<unknown>;
  clock: () => Date;
}

const sha256Of = (content: Buffer) => createHash('sha256').update(content).digest('hex');

/** "media/03-packing-photo-1a2b3c4d.jpg": sorted as picked, readable, and unique by media id. */
function bundlePath(original: EvidenceOriginal, index: number): string {
  const number = String(index + 1).padStart(2, '0');
  return `media/${number}-${original.capture.kind}-${original.row.type}-${original.row.id.slice(0, 8)}.${extensionFor(original.row.mime)}`;
}

/** "playback/02-packing-video-1a2b3c4d.mp4" beside "media/02-packing-video-1a2b3c4d.webm". */
const playbackPath = (originalPath: string) => `playback/${originalPath.slice('media/'.length).replace(/\.[^./]+$/, '')}.mp4`;

async function sha256OfStream(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(stream, hash);
  return hash.digest('hex');
}

/** What a bundle or a claim packet is called and what its document holds, in each language README.txt speaks. */
const README_WORDS = {
  bundle: {
    title: 'PACKTRAIL EVIDENCE BUNDLE',
    en: { document: 'the case: order, timeline with server times, photos, video stills, weights, findings.', this: 'this bundle' },
    ko: { document: '사건 요약: 주문, 서버 시각 기준 타임라인, 사진, 동영상 스틸, 무게, 검수 결과.', this: '이 묶음' },
    'zh-TW': { document: '案件摘要：訂單、以伺服器時間記錄的時間軸、照片、影片截圖、重量、檢查結果。', this: '本套件' },
  },
  claim: {
    title: 'PACKTRAIL COURIER CLAIM PACKET',
    en: {
      document: "the claim letter: shipment facts, weight at packing, filing deadline, the courier's photo checklist, list of enclosures, the photos.",
      this: 'this packet',
    },
    ko: { document: '청구서: 운송 정보, 포장 시 무게, 청구 기한, 택배사가 요구하는 사진 점검표, 첨부 목록, 사진.', this: '이 청구 서류 묶음' },
    'zh-TW': { document: '理賠申請函：運送資料、包裝時重量、申請期限、物流業者要求的照片清單、附件清單、照片。', this: '本理賠申請包' },
  },
} as const;

/**
 * README.txt at the top of a bundle or claim packet, in English, Korean and Chinese (whoever opens it may
 * read any): what each part is, the names in one column as wide as the longest.
 */
function readme(input: { disputeId: string; orderId: string; document: string; packet: 'bundle' | 'claim'; playbackCopies: boolean; removed: number }): string {
  const words = README_WORDS[input.packet];
  const names = [input.document, 'media/', 'playback/', 'verification/', 'manifest.json'];
  const width = Math.max(...names.map((name) => name.length)) + 2;
  const row = (name: string, text: string) => `${name.padEnd(width)}${text}\n`;
  const section = (
    heading: string,
    language: 'en' | 'ko' | 'zh-TW',
    lines: { media: string; playback: string; verification: string; manifest: (what: string) => string; check: string; removed: (n: number) => string },
  ) =>
    `${heading}\n` +
    row(input.document, words[language].document) +
    row('media/', lines.media) +
    (input.playbackCopies ? row('playback/', lines.playback) : '') +
    row('verification/', lines.verification) +
    row('manifest.json', lines.manifest(words[language].this)) +
    (input.removed > 0 ? lines.removed(input.removed) : '') +
    lines.check;
  return (
    `${words.title}\nDispute ${input.disputeId} · Order ${input.orderId}\n\n` +
    section('[English]', 'en', {
      media: 'the original files exactly as received by the server (never edited).',
      playback: 'MP4 copies of WebM videos, made by the server for players that do not open WebM: not originals (see manifest.json).',
      verification: 'proof that each original existed, byte for byte, no later than the signed checkpoint.',
      manifest: (what) => `every file in ${what} with its size and SHA-256.`,
      check:
        'To verify without installing anything: open verification/verify.html in a browser and choose this\n' +
        'folder, or run "node verification/verify.mjs" here. Each file is reported as verified or what failed.\n',
      removed: (n) =>
        `${n} original${n === 1 ? ' was' : 's were'} removed under the shop's retention policy before export: manifest.json lists\n` +
        'when, and the verifiers check their log entries, so a missing file for them is expected, not a failure.\n',
    }) +
    '\n' +
    section('[한국어]', 'ko', {
      media: '서버가 받은 원본 파일 그대로 (편집 없음).',
      playback: 'WebM을 열지 못하는 플레이어를 위해 서버가 만든 MP4 사본: 원본 아님 (manifest.json 참조).',
      verification: '각 원본이 서명된 체크포인트 시점 이전에 바이트 단위로 존재했음을 증명하는 자료.',
      manifest: (what) => `${what}의 모든 파일과 크기, SHA-256.`,
      check: '설치 없이 검증: verification/verify.html 을 브라우저로 열고 이 폴더를 선택하거나,\n여기에서 "node verification/verify.mjs" 를 실행하세요.\n',
      removed: (n) => `원본 ${n}개는 내보내기 전에 상점의 보존 정책에 따라 삭제되었습니다: 언제 삭제되었는지는 manifest.json 에 있고,\n검증 도구가 그 로그 항목을 확인하므로 해당 파일이 없는 것은 실패가 아닙니다.\n`,
    }) +
    '\n' +
    section('[繁體中文]', 'zh-TW', {
      media: '伺服器收到的原始檔案，未經任何編輯。',
      playback: '伺服器為無法開啟 WebM 的播放器製作的 MP4 副本：並非原始檔案（見 manifest.json）。',
      verification: '證明每個原始檔案最遲在已簽署檢查點時已逐位元組存在的資料。',
      manifest: (what) => `${what}所有檔案及其大小與 SHA-256。`,
      check: '無需安裝即可驗證：以瀏覽器開啟 verification/verify.html 並選擇此資料夾，\n或在此執行 "node verification/verify.mjs"。\n',
      removed: (n) => `有 ${n} 個原始檔案在匯出前已依商店的保存政策刪除：刪除時間見 manifest.json，\n驗證工具會檢查其紀錄項目，因此缺少這些檔案屬正常，並非驗證失敗。\n`,
    })
  );
}

export function createBundleService(deps: BundleDeps) {
  const { disputes, ledger, kit, originals: originalsStore, derived: derivedStore, audit, shop, stillsOf, renderReport, renderClaimLetter, clock } = deps;
  // Rendering is the memory- and CPU-heavy part of an export, and share links let outsiders start
  // exports: one document renders at a time, the others wait while their originals stream.
  const oneAtATime = createLimiter(1);

  /** The ready MP4 copies of originals that need one; a copy still being made is left out, not waited for. */
  async function playbackCopies(originals: EvidenceOriginal[], paths: string[]): Promise<PlaybackCopy[]> {
    const copies = await Promise.all(
      originals.map(async (original, index): Promise<PlaybackCopy[]> => {
        const { row } = original;
        if (row.type !== 'video' || !PLAYBACK_COPY_FOR.has(row.mime) || row.playback_status !== 'ready') return [];
        const bytes = (await derivedStore.stat(row.id, 'playback.mp4'))?.bytes;
        return bytes ? [{ index, mediaId: row.id, bytes, path: playbackPath(paths[index]) }] : [];
      }),
    );
    return copies.flat();
  }

  /** A derived file that must be there (it was measured when the export began). */
  async function openDerived(mediaId: string, name: string): Promise<Readable> {
    const stream = await derivedStore.open(mediaId, name);
    if (!stream) throw new Error(`the ${name} of media ${mediaId} is gone`);
    return stream;
  }

  /** A photo's tags set after its capture finished, from the custody log's `tag` events (claims/tag-history.ts). */
  function labelledAfterRecording(original: EvidenceOriginal, captures: readonly { id: string; finishedAt?: string }[]) {
    const tags = toMediaView(original.row).tags;
    const finishedAt = captures.find((capture) => capture.id === original.row.capture_id)?.finishedAt;
    if (tags.length === 0 || !finishedAt) return [];
    const events = audit.list({ subjectType: 'media', subjectId: original.row.id, limit: 100_000 }).filter((event) => event.action === 'tag');
    return tagsSetAfter(tags, events, finishedAt);
  }

  /** What is known of each evidence item without reading a file: enough for the claim checklist. */
  function evidenceItems(
    originals: EvidenceOriginal[],
    paths: string[],
    copies: PlaybackCopy[],
    captures: readonly { id: string; finishedAt?: string }[],
  ): EvidenceData[] {
    return originals.map((original, index) => {
      const item: EvidenceData = {
        media: toMediaView(original.row),
        bundlePath: paths[index],
        ...(original.caption ? { caption: original.caption } : {}),
      };
      const copy = copies.find((entry) => entry.index === index);
      if (copy) item.playbackCopy = { bundlePath: copy.path };
      const later = labelledAfterRecording(original, captures);
      if (later.length > 0) item.labelledAfterRecording = later;
      return item;
    });
  }

  /** The evidence items with what a document will want lent to it: the stills made ahead of time among them. */
  async function evidenceDrafts(
    originals: EvidenceOriginal[],
    paths: string[],
    copies: PlaybackCopy[],
    captures: readonly { id: string; finishedAt?: string }[],
  ): Promise<EvidenceDraft[]> {
    const items = evidenceItems(originals, paths, copies, captures);
    return Promise.all(
      originals.map(async ({ row }, index): Promise<EvidenceDraft> => ({
        data: items[index],
        mediaId: row.id,
        sha256: row.sha256,
        type: row.type,
        stills: row.type === 'video' ? await stillsOf(row.id) : [],
      })),
    );
  }

  /**
   * Lends the files a document draws from for as long as `use` renders it: a photo's original (the
   * report re-encodes it), a video's original only when no stills were made ahead (the report makes its
   * own), the preview, the stills. On local disk these are the stored files themselves; from S3, the
   * originals are temporary copies, removed afterwards.
   */
  function lendEvidenceFiles<T>(drafts: EvidenceDraft[], use: (evidence: EvidenceItem[]) => Promise<T>): Promise<T> {
    const loans: Loan[] = [];
    const slots = drafts.map((draft) => {
      const take = (loan: Loan) => loans.push(loan) - 1;
      const needsOriginal = draft.type === 'photo' || (draft.type === 'video' && draft.stills.length === 0);
      const hasPreview = draft.type === 'photo' || draft.type === 'video';
      return {
        original: needsOriginal ? take((lend) => originalsStore.withLocalCopy(draft.sha256, lend)) : undefined,
        preview: hasPreview ? take((lend) => derivedStore.withLocalFile(draft.mediaId, 'thumbnail.jpg', lend)) : undefined,
        stills: draft.stills.map((still) => ({ offsetMs: still.offsetMs, slot: take((lend) => derivedStore.withLocalFile(draft.mediaId, still.name, lend)) })),
      };
    });
    return withLoans(loans, (files) =>
      use(
        drafts.map((draft, index): EvidenceItem => {
          const slot = slots[index];
          const originalPath = slot.original === undefined ? undefined : files[slot.original];
          const previewPath = slot.preview === undefined ? undefined : files[slot.preview];
          const stills = slot.stills.flatMap(({ offsetMs, slot: at }) => (files[at] ? [{ offsetMs, path: files[at]! }] : []));
          return {
            ...draft.data,
            ...(originalPath ? { originalPath } : {}),
            ...(previewPath ? { previewPath } : {}),
            ...(stills.length > 0 ? { stills } : {}),
          };
        }),
      ),
    );
  }

  /** Everything a document about the dispute is made from; signs a checkpoint so every original is covered. */
  async function gather(disputeId: string, language: Language, packet: 'bundle' | 'claim', requestOrigin?: string) {
    const dispute = disputes.get(disputeId);
    // Originals retention removed are listed in the manifest as removed; the rest of the packet is built without them.
    const { kept: originals, removed } = splitRemoved(disputes.evidenceOriginals(disputeId));
    const paths = originals.map(bundlePath);
    const copies = await playbackCopies(originals, paths);
    const drafts = await evidenceDrafts(originals, paths, copies, dispute.order.captures);
    // The checkpoint the kit chose (maybe an older, time-stamped one) is the one the report, the
    // manifest and the export statement name.
    const { files: kitFiles, captureFacts, checkpoint, timestamp, keyUrl } = kit.buildVerificationKit(
      originals.map((original, index) => ({ mediaId: original.row.id, path: paths[index] })),
      dispute.order.captures.map((capture) => ({ id: capture.id, kind: capture.kind, finished: capture.status === 'finished' })),
      { requestOrigin, language, packet, removed: removed.map(({ mediaId, removedAt, reason }) => ({ mediaId, removedAt, reason })) },
    );
    const generatedAt = clock();
    const { evidence: _links, order, ...facts } = dispute;
    const input: Omit<ReportInput, 'evidence'> = {
      language,
      shop: shop(),
      generatedAt: generatedAt.toISOString(),
      dispute: facts,
      order,
      captures: order.captures,
      weights: assessCaptureWeights(order, order.captures),
      ledger: {
        origin: ledger.origin,
        checkpointSize: checkpoint.size,
        rootHash: checkpoint.rootHash,
        verifierKey: ledger.publicKey(),
        keyUrl,
        captureFacts: captureFacts.map(({ captureId, leafIndex, entry }) => ({ captureId, leafIndex, facts: parseCaptureFacts(entry) })),
        timestamp,
      },
    };
    return { dispute, originals, removed, paths, copies, drafts, kitFiles, captureFacts, checkpoint, keyUrl, generatedAt, input };
  }

  function claimInput(input: Omit<ReportInput, 'evidence'>, evidence: EvidenceData[], claimKind?: ClaimKind): Omit<ClaimInput, 'evidence'> {
    const kind = claimKind ?? defaultClaimKind(input.dispute.reason);
    return {
      ...input,
      shipper: { name: input.shop.name },
      consignee: { name: input.order.buyer?.name ?? input.order.buyer?.ref ?? '' },
      claimKind: kind,
      checklist: claimChecklist({
        order: input.order,
        captures: input.captures,
        evidence,
        timezone: input.shop.timezone,
        claimKind: kind,
        claimOpenedAt: input.dispute.createdAt,
        letterDate: input.generatedAt,
      }),
    };
  }

  /**
   * A packet ready to stream: README and originals first, straight from disk, while `document`
   * renders; the document and the manifest (which lists its hash) are the last entries. Nothing is
   * rendered or audited until `start` is called (a HEAD request costs neither); it records the export
   * before any byte is sent, so a failure to audit still answers as an error, and returns the writer.
   */
  function packet(
    gathered: Awaited<ReturnType<typeof gather>>,
    document: { path: string; description: string; packet: 'bundle' | 'claim'; render: () => Promise<Buffer> },
    actor: BundleActor,
    detail: Record<string, unknown>,
    extraDocuments: ExtraDocument[] = [],
  ) {
    const { dispute, originals, removed, paths, copies, kitFiles, captureFacts, checkpoint, keyUrl, generatedAt } = gathered;
    const readmeText = Buffer.from(
      readme({ disputeId: dispute.id, orderId: dispute.orderId, document: document.path, packet: document.packet, playbackCopies: copies.length > 0, removed: removed.length }),
    );
    const listed: ManifestFile[] = [
      { path: 'README.txt', bytes: readmeText.length, sha256: sha256Of(readmeText), kind: 'readme', description: `What is in this ${document.packet === 'claim' ? 'claim packet' : 'bundle'} and how to check it` },
      ...originals.map((original, index): ManifestFile => ({
        path: paths[index],
        bytes: original.row.bytes,
        sha256: original.row.sha256,
        kind: 'original',
        description: `${original.row.type} from the ${original.capture.kind} capture received ${original.row.received_at}${original.caption ? `: ${original.caption}` : ''}`,
        mediaId: original.row.id,
      })),
      ...extraDocuments.map((extra): ManifestFile => ({ path: extra.path, bytes: extra.content.length, sha256: sha256Of(extra.content), kind: 'report', description: extra.description })),
      ...kitFiles.map((file): ManifestFile => {
        const content = Buffer.from(file.content);
        return { path: file.path, bytes: content.length, sha256: sha256Of(content), kind: 'verification', description: 'Offline verification kit' };
      }),
    ];
    const start = () => {
      const render = document.render();
      // Keeps an unhandled rejection away while originals stream; the document's entry reports the error.
      render.catch(() => {});
      // Derived copies are hashed as exported (they are in no log): the manifest states what was sent.
      const derived = Promise.all(
        copies.map(async (copy): Promise<ManifestFile> => {
          const original = originals[copy.index];
          return {
            path: copy.path,
            bytes: copy.bytes,
            sha256: await sha256OfStream(await openDerived(copy.mediaId, 'playback.mp4')),
            kind: 'derived',
            description: `MP4 playback copy of ${paths[copy.index]}, made by the server for players that do not open ${extensionFor(original.row.mime).toUpperCase()}; not an original`,
            mediaId: original.row.id,
            derivedFrom: { path: paths[copy.index], sha256: original.row.sha256 },
          };
        }),
      );
      derived.catch(() => {});
      const documentFile = render.then((pdf): ManifestFile => ({ path: document.path, bytes: pdf.length, sha256: sha256Of(pdf), kind: 'report', description: document.description }));
      const manifest = Promise.all([documentFile, derived]).then(([documentEntry, derivedFiles]) =>
        Buffer.from(
          `${JSON.stringify(
            {
              format: BUNDLE_FORMAT,
              generatedAt: generatedAt.toISOString(),
              shop: shop().name,
              dispute: { id: dispute.id, orderId: dispute.orderId, reason: dispute.reason, counterparty: dispute.counterparty, reference: dispute.reference },
              checkpoint: { size: checkpoint.size, rootHash: checkpoint.rootHash },
              files: [...listed, ...derivedFiles, documentEntry],
              ...(removed.length > 0 ? { removed } : {}),
            },
            null,
            2,
          )}\n`,
        ),
      );
      // The signed list of every file above (verification-kit.ts): what covers the manifest and the document.
      const statement = Promise.all([documentFile, derived, manifest]).then(([documentEntry, derivedFiles, manifestBytes]) =>
        Buffer.from(
          kit.signExportStatement({
            checkpoint: { size: checkpoint.size, rootHash: checkpoint.rootHash, origin: ledger.origin },
            exportedAt: generatedAt,
            dispute: { id: dispute.id, orderId: dispute.orderId },
            files: [...listed, ...derivedFiles, documentEntry],
            manifest: manifestBytes,
            captureFacts,
            keyUrl,
          }).content,
        ),
      );
      // Like the document, awaited only when its entry's turn comes, which a failed render never reaches.
      manifest.catch(() => {});
      statement.catch(() => {});
      const entries: ZipEntry[] = [
        { path: 'README.txt', content: () => readmeText },
        ...extraDocuments.map((extra): ZipEntry => ({ path: extra.path, content: () => extra.content })),
        ...originals.map(
          (original, index): ZipEntry => ({
            path: paths[index],
            size: original.row.bytes,
            ...(original.row.crc32 === null ? {} : { crc32: original.row.crc32 }),
            open: () => originalsStore.open(original.row.sha256),
          }),
        ),
        ...copies.map((copy): ZipEntry => ({ path: copy.path, size: copy.bytes, open: () => openDerived(copy.mediaId, 'playback.mp4') })),
        ...kitFiles.map((file): ZipEntry => ({ path: file.path, content: () => Buffer.from(file.content) })),
        { path: document.path, content: () => render },
        { path: 'manifest.json', content: () => manifest },
        { path: EXPORT_STATEMENT_PATH, content: () => statement },
      ];
      audit.record({
        actorType: actor.kind,
        actorId: actor.id,
        action: 'export',
        subjectType: 'dispute',
        subjectId: dispute.id,
        detail: { ...detail, document: document.path, mediaIds: originals.map((original) => original.row.id), checkpointSize: checkpoint.size },
      });
      return (out: Writable) => writeZip(entries, { mtime: generatedAt }, out);
    };
    return { start };
  }

  const fileStem = (orderId: string, disputeId: string) => `packtrail-${orderId.replace(/[^A-Za-z0-9._-]+/g, '_')}-${disputeId.slice(0, 8)}`;

  return {
    /** The evidence bundle: report.pdf, originals, verification kit, manifest. */
    /** `requestOrigin`: the address the export was requested on, named as where the key is published when PUBLIC_URL is loopback. */
    async exportDispute(
      disputeId: string,
      { language = shop().reportLanguage, actor, requestOrigin }: { language?: Language; actor: BundleActor; requestOrigin?: string },
    ) {
      disputes.requireRow(disputeId);
      // The checkpoint the kit proves against gets its time-stamp first (a bounded wait), so the bundle carries it.
      await kit.prepare();
      const gathered = await gather(disputeId, language, 'bundle', requestOrigin);
      const document = {
        path: 'report.pdf',
        description: `Case report (${language})`,
        packet: 'bundle' as const,
        render: () => renderPdf((sink) => lendEvidenceFiles(gathered.drafts, (evidence) => renderReport({ ...gathered.input, evidence }, sink)), oneAtATime),
      };
      return { filename: `${fileStem(gathered.dispute.orderId, disputeId)}.zip`, ...packet(gathered, document, actor, { language }) };
    },

    /**
     * The courier-claim packet: the claim letter with its photo checklist and deadline, the originals, the kit.
     * `extraDocuments` go in beside the letter and in the manifest (the recipient packet's packet.json and
     * checklist.txt); `anyCounterparty` lets the recipient packets build it for a dispute not yet with the courier.
     */
    async exportClaimPacket(
      disputeId: string,
      {
        language = shop().reportLanguage, actor, claimKind, requestOrigin, extraDocuments = [], anyCounterparty = false,
      }: { language?: Language; actor: BundleActor; claimKind?: ClaimKind; requestOrigin?: string; extraDocuments?: ExtraDocument[]; anyCounterparty?: boolean },
    ) {
      disputes.requireRow(disputeId);
      await kit.prepare();
      const gathered = await gather(disputeId, language, 'claim', requestOrigin);
      if (gathered.dispute.counterparty !== 'courier' && !anyCounterparty) fail('CONFLICT', 'A claim packet is for disputes with a courier; change the counterparty first.');
      const input = claimInput(gathered.input, gathered.drafts.map((draft) => draft.data), claimKind);
      const document = {
        path: 'claim-letter.pdf',
        description: `Courier claim letter (${input.claimKind}, ${language})`,
        packet: 'claim' as const,
        render: () => renderPdf((sink) => lendEvidenceFiles(gathered.drafts, (evidence) => renderClaimLetter({ ...input, evidence }, sink)), oneAtATime),
      };
      return {
        filename: `${fileStem(gathered.dispute.orderId, disputeId)}-claim.zip`,
        ...packet(gathered, document, actor, { language, claimKind: input.claimKind }, extraDocuments),
      };
    },

    /**
     * The courier-claim checklist as data: the filing deadline (codes and dates, with its words in
     * `language` beside them), which photos the courier wants are present, and the dates that do not
     * agree (each with its sentence in `language`).
     */
    claimSummary(disputeId: string, { language = shop().reportLanguage, claimKind }: { language?: Language; claimKind?: ClaimKind }) {
      const { order, reason, createdAt } = disputes.get(disputeId);
      const originals = splitRemoved(disputes.evidenceOriginals(disputeId)).kept;
      const checklist = claimChecklist({
        order,
        captures: order.captures,
        evidence: evidenceItems(originals, originals.map(bundlePath), [], order.captures),
        timezone: shop().timezone,
        claimKind: claimKind ?? defaultClaimKind(reason),
        claimOpenedAt: createdAt,
        letterDate: clock().toISOString(),
      });
      const dateConflicts = checklist.dateConflicts.map((conflict) => ({ ...conflict, text: dateConflictSentence(conflict, language, shop().timezone) }));
      return { ...checklist, deadline: withWords(checklist.deadline, language), dateConflicts };
    },
  };
}

function renderPdf(render: (sink: NodeJS.WritableStream) => Promise<unknown>, limit: ReturnType<typeof createLimiter>): Promise<Buffer> {
  return limit(() => renderToBuffer(render));
}

async function renderToBuffer(render: (sink: NodeJS.WritableStream) => Promise<unknown>): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await render(sink);
  return Buffer.concat(chunks);
}

export type BundleService = ReturnType<typeof createBundleService>;
