// Builds the verification/ folder of an evidence bundle: the signed checkpoint, the verifier key,
// each original's ledger entry and inclusion proof, each capture's facts entry and proof, the signed
// export statement covering every file the export made, and two offline verifiers (verify.mjs for
// Node, verify.html for a browser opened from disk) that both embed verifier/verify-core.js, the
// same checking code the server runs. When the checkpoint has an RFC 3161 time-stamp token, the
// token, the authority's certificates and verifier/timestamp.js (bundled with PKI.js by esbuild, so
// no npm is needed offline) travel too.
import { createHash, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import { isLoopbackHost } from '../../config';
import type { Language } from '../../domain/vocabulary';
import { fail } from '../../errors';
import { translations } from '../../i18n';
import type { LedgerCheckpoint, LedgerService } from './ledger.service';
import type { CheckpointTimestamp, TimestampService } from './timestamps';
import { buildTimestampModules, buildTimestampModulesSync, type TimestampModules } from './timestamp-modules';
import {
  CAPTURE_FACTS_PATH, CAPTURE_FACTS_PROOFS_FORMAT, EXPORT_STATEMENT_PATH, MANIFEST_PATH, PROOFS_FORMAT, formatExportStatement, formatUtc,
  isSafeBundlePath, keyFingerprint, parseEntry,
} from './verifier/verify-core';
import { projectPath } from '../../paths';

export interface VerificationKitItem {
  mediaId: string;
  /** Where the original sits in the bundle, e.g. "media/<file>". */
  path: string;
}

/** A capture of the bundle's order; its facts travel with their proof when the log holds them. */
export interface VerificationKitCapture {
  id: string;
  kind: string;
  finished: boolean;
}

export interface VerificationKitFile {
  /** Bundle-relative, always under "verification/". */
  path: string;
  content: string | Buffer;
}

export interface ProofsDocument {
  format: typeof PROOFS_FORMAT;
  about: string;
  origin: string;
  treeSize: number;
  rootHash: string;
  files: {
    path: string;
    mediaId: string;
    sha256: string;
    bytes: number;
    entry: string;
    leafIndex: number;
    leafHash: string;
    proof: string[];
  }[];
  /**
   * Items whose originals the shop's retention policy removed before this export: no file travels, but
   * their log entries do, with when and why they were removed (the same list as manifest.json's `removed`).
   */
  removed?: ({ mediaId: string; sha256: string; bytes: number; removedAt: string; reason: string } & Omit<ProofsDocument['files'][number], 'path' | 'mediaId' | 'sha256' | 'bytes'>)[];
}

/** An item of the export whose original retention removed: its log entry is proven, its bytes are gone. */
export interface VerificationKitRemovedItem {
  mediaId: string;
  removedAt: string;
  reason: string;
}

export interface CaptureFactsDocument {
  format: typeof CAPTURE_FACTS_PROOFS_FORMAT;
  about: string;
  treeSize: number;
  captures: { captureId: string; entry: string; leafIndex: number; leafHash: string; proof: string[] }[];
  /** Captures of the order whose facts the log does not hold, and why. */
  notInLog: { captureId: string; kind: string; reason: string }[];
}

/** A file the export made, as the export statement lists it. */
export interface ExportedFile {
  path: string;
  kind: string;
  sha256: string;
  bytes: number;
}

const KEY_PATH = '/api/v1/ledger/key';

/**
 * The absolute address where a stranger can fetch the shop's key: under PUBLIC_URL when it names a
 * host other machines reach, otherwise under the address the export was requested on (a seller at
 * http://192.168.1.20:8080 exports a bundle naming that address); null when both are loopback or
 * unknown, since "localhost" would send the reader to their own computer.
 */
export function publishedKeyUrl(publicUrl: string | undefined, requestOrigin: string | undefined): string | null {
  for (const base of [publicUrl, requestOrigin]) {
    if (!base) continue;
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      continue;
    }
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || isLoopbackHost(url.hostname) || url.hostname === '') continue;
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}${KEY_PATH}`;
  }
  return null;
}

const readVerifierSource = (name: string) => fs.readFileSync(projectPath('server', 'services', 'ledger', 'verifier', name), 'utf8');

/** verify-core.js as plain top-level declarations, ready to paste into a script or a page. */
export function inlineableCore(coreSource: string): string {
  const inlined = coreSource.replace(/^export (?=(?:async function|function|const|class) )/gm, '');
  if (/^\s*(?:export|import)\b/m.test(inlined)) {
    throw new Error('verify-core.js must have only `export function|const|class` at top level and no imports');
  }
  return inlined;
}

export function buildVerifyScript(core: string, cliSource: string): string {
  const coreImport = /^import \{[^}]*\} from '\.\/verify-core\.js';\n/m;
  if (!coreImport.test(cliSource)) throw new Error('verify-cli.mjs must import the core on one line');
  const banner = '// ---- The verification core: the same code the Packtrail server uses. ----\n';
  return cliSource.replace(coreImport, () => `${banner}${core}// ---- End of the verification core. ----\n\n`);
}

/** What verify.html checks, embedded in it. `timestamps` holds base64 DER tokens and PEM certificates. */
export interface VerifyPageData {
  checkpoint: string;
  key: string;
  proofs: string;
  captureFacts: string;
  /** Where the shop publishes its key, as the export statement names it; null when the export knew of none. */
  keyUrl?: string | null;
  timestamps?: { tokens: string[]; certificates: string };
}

/** `timestampScript` is verifier/timestamp.js as a classic script (timestamp-modules.ts); needed only with tokens. */
export function buildVerifyPage(core: string, pageSource: string, data: VerifyPageData, timestampScript = ''): string {
  if (/<\/script/i.test(core) || /<\/script/i.test(timestampScript)) throw new Error('a script inlined into verify.html cannot contain "</script"');
  for (const placeholder of ['// @packtrail-core', '"@packtrail-data"', '"@packtrail-labels"', '// @packtrail-timestamp']) {
    if (!pageSource.includes(placeholder)) throw new Error(`verify-page.html lost its ${placeholder} placeholder`);
  }
  // "<" escaped so no value can close the <script> element it sits in.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return pageSource
    .replace('// @packtrail-timestamp', () => timestampScript)
    .replace('// @packtrail-core', () => core)
    .replace('"@packtrail-data"', () => json(data))
    .replace('"@packtrail-labels"', () => json(translations.verifier));
}

/** What the kit travels in: an evidence bundle (report.pdf) or a courier claim packet (claim-letter.pdf). */
export type KitPacket = 'bundle' | 'claim';

/**
 * verification/README.txt in the language of the document beside it (the report's or the claim
 * letter's): how the kit proves each part, and whose clock the times rest on.
 */
function readme(stamp: KitTimestamp | null, keyPart: string, language: Language = 'en', packet: KitPacket = 'bundle'): string {
  const openssl =
    '  openssl ts -verify -data verification/checkpoint.txt -in verification/checkpoint.tsr -token_in \\\n' +
    "    -CAfile <the authority's root certificate> -untrusted verification/tsa-certificates.pem\n";
  const words = README_TEXT[language] ?? README_TEXT.en;
  const intro = words.intro(packet) + keyPart;
  if (!stamp) return `${intro}\n${words.noStamp(packet)}\n`;
  return `${intro}\n${words.stamp(stamp.tsa, formatUtc(stamp.genTime), stamp.certificateSha256)}\n${openssl}`;
}

/** "=====" under a title, as wide as it shows in a terminal (Hangul and Han take two columns). */
const underline = (title: string) => '='.repeat([...title].reduce((width, char) => width + (char.codePointAt(0)! >= 0x1100 ? 2 : 1), 0));

const README_TEXT: Record<Language, { intro: (packet: KitPacket) => string; noStamp: (packet: KitPacket) => string; stamp: (tsa: string, time: string, fingerprint: string) => string }> = {
  en: {
    intro: (packet) => {
      const title = packet === 'claim' ? 'How to check this claim packet' : 'How to check this evidence bundle';
      const folder = packet === 'claim' ? 'packet' : 'bundle';
      return `${title}
${underline(title)}

Each original photo or video in media/ was recorded, when the shop's server received it, as an
entry in an append-only log (a Merkle tree, RFC 9162). The server signs the log's state with its
key (checkpoint.txt, in the c2sp.org tlog-checkpoint format). For each original, proofs.json holds
its log entry (SHA-256, size, type, server receive time, order) and the proof that the entry is
in the signed log.

When a capture (a packing, an unboxing, a handover) finished, its facts were recorded in the same
log as an entry of their own: order, kind, station, who, the server's start and finish times, the
weight as entered, the weight expected at that moment, the checklist and outcome, and the SHA-256
of each of its media. capture-facts.json holds those entries with their proofs; captures finished
before the log recorded facts are listed there as not in the log.

The documents made at export (manifest.json, the ${packet === 'claim' ? 'claim letter' : 'report'}, README.txt and these
verification files) are not in the log: the server listed each one's SHA-256 in
export-statement.txt and signed it with the log's key, so a change to any of them is found too.

Check it in a browser: open verification/verify.html and choose the unzipped ${folder} folder.
Check it in a terminal:  node verification/verify.mjs   (Node.js 18 or newer, from this folder's parent)

Both check every original against its entry and the entry against the log, every capture's facts
against the log, every document against the export statement, the signatures against key.txt, and
that no file was added. Compare key.txt with the key the shop publishes at /api/v1/ledger/key.
`;
    },
    noStamp: (packet) => `Time: every time in this ${packet === 'claim' ? 'packet' : 'bundle'} (receive times, capture times, the checkpoint) comes from the shop's
own server clock. No independent time-stamping authority attested the checkpoint.`,
    stamp: (tsa, time, fingerprint) => `Time: checkpoint.tsr is an RFC 3161 time-stamp token over the exact bytes of checkpoint.txt, from an
independent time-stamping authority: ${tsa}.
It attests that the checkpoint, and so every original in it, existed no later than ${time}.
Both verifiers check the token (timestamp.mjs does it for verify.mjs). tsa-certificates.pem holds the
authority's certificate (SHA-256 fingerprint ${fingerprint}) and its chain as the token
carried it. A time-stamp is only as good as the authority behind it: trust it only if you trust that
certificate; no list of trusted authorities is shipped. With OpenSSL and the authority's root
certificate that you trust:`,
  },
  ko: {
    intro: (packet) => {
      const title = packet === 'claim' ? '이 청구 서류 묶음을 확인하는 방법' : '이 증거 묶음을 확인하는 방법';
      const folder = packet === 'claim' ? '청구 서류 묶음' : '묶음';
      return `${title}
${underline(title)}

media/ 의 원본 사진과 동영상은 판매자의 서버가 받은 순간 추가 전용 로그(머클 트리, RFC 9162)에
항목으로 하나씩 기록되었습니다. 서버는 로그의 상태를 자신의 키로 서명합니다(checkpoint.txt,
c2sp.org tlog-checkpoint 형식). proofs.json 에는 원본마다 로그 항목(SHA-256, 크기, 종류, 서버 수신
시각, 주문)과 그 항목이 서명된 로그에 들어 있다는 증명이 있습니다.

촬영(포장, 반품 개봉, 인계)이 끝나면 그 사실도 같은 로그에 별도의 항목으로 기록되었습니다: 주문,
종류, 작업대, 기록자, 서버의 시작·종료 시각, 입력한 무게, 그 시점의 예상 무게, 점검 항목과 결과,
각 미디어의 SHA-256. capture-facts.json 에 그 항목과 증명이 있습니다. 로그가 촬영 사실을 기록하기
전에 끝난 촬영은 그곳에 로그에 없다고 적혀 있습니다.

내보낼 때 만든 문서(manifest.json, ${packet === 'claim' ? '청구서' : '보고서'}, README.txt, 이 검증 파일들)는 로그에 없습니다.
서버가 각 문서의 SHA-256 을 export-statement.txt 에 적고 로그의 키로 서명했으므로, 어느 문서가
바뀌어도 드러납니다.

브라우저로 확인: verification/verify.html 을 열고 압축을 푼 ${folder} 폴더를 선택합니다.
터미널로 확인:  node verification/verify.mjs   (Node.js 18 이상, 이 폴더의 상위 폴더에서 실행)

두 방법 모두 각 원본을 그 항목과, 항목을 로그와, 각 촬영 사실을 로그와, 각 문서를 내보내기
명세서(export-statement.txt)와, 서명을 key.txt 와 대조하고, 추가된 파일이 없는지 확인합니다.
key.txt 를 판매자가 /api/v1/ledger/key 에 공개하는 키와 비교하십시오.
`;
    },
    noStamp: (packet) => `시각: 이 ${packet === 'claim' ? '청구 서류 묶음' : '묶음'}의 모든 시각(수신 시각, 촬영 시각, 체크포인트)은 판매자 자체 서버의 시계에서
나온 것입니다. 독립적인 타임스탬프 기관이 체크포인트를 증명하지 않았습니다.`,
    stamp: (tsa, time, fingerprint) => `시각: checkpoint.tsr 은 checkpoint.txt 의 바이트 그대로에 대한 RFC 3161 타임스탬프 토큰으로,
독립적인 타임스탬프 기관이 발급했습니다: ${tsa}.
이 토큰은 체크포인트와 그 안의 모든 원본이 늦어도 ${time} 에 존재했음을 증명합니다.
두 검증 도구 모두 토큰을 확인합니다(verify.mjs 는 timestamp.mjs 로 확인). tsa-certificates.pem 에는
토큰에 들어 있던 기관의 인증서(SHA-256 지문 ${fingerprint})와 그 인증서 체인이
있습니다. 타임스탬프는 발급한 기관만큼만 믿을 수 있습니다. 그 인증서를 신뢰할 때만 믿으십시오.
신뢰할 기관 목록은 함께 제공하지 않습니다. OpenSSL 과 신뢰하는 기관의 루트 인증서로 확인하려면:`,
  },
  'zh-TW': {
    intro: (packet) => {
      const title = packet === 'claim' ? '如何查驗本理賠申請包' : '如何查驗本證據套件';
      const folder = packet === 'claim' ? '理賠申請包' : '套件';
      return `${title}
${underline(title)}

media/ 中的每個原始照片或影片，都在商店伺服器收到時記錄為只能附加的紀錄（Merkle 樹，RFC 9162）
中的一個項目。伺服器以自己的金鑰簽署紀錄的狀態（checkpoint.txt，c2sp.org tlog-checkpoint 格式）。
proofs.json 為每個原始檔案列出其紀錄項目（SHA-256、大小、類型、伺服器收到時間、訂單），以及該項目
在已簽署紀錄中的證明。

每次拍攝（包裝、退貨開箱、交寄）結束時，其事實也以獨立項目記入同一紀錄：訂單、類型、工作站、
記錄者、伺服器的開始與結束時間、輸入的重量、當時的預期重量、檢查清單與結果，以及每個媒體的
SHA-256。capture-facts.json 收錄這些項目及其證明；在紀錄開始記錄拍攝事實之前結束的拍攝，在該處
標示為不在紀錄中。

匯出時產生的文件（manifest.json、${packet === 'claim' ? '理賠申請函' : '報告'}、README.txt 與這些驗證檔案）不在紀錄中：
伺服器在 export-statement.txt 列出每份文件的 SHA-256，並以紀錄的金鑰簽署，因此任何文件被更動
都會被發現。

以瀏覽器查驗：開啟 verification/verify.html，選擇解壓縮後的${folder}資料夾。
以終端機查驗：  node verification/verify.mjs   （Node.js 18 以上，在此資料夾的上層資料夾執行）

兩種方式都會核對每個原始檔案與其項目、項目與紀錄、每次拍攝的事實與紀錄、每份文件與匯出聲明、
簽章與 key.txt，並確認沒有多出的檔案。請將 key.txt 與商店在 /api/v1/ledger/key 公布的金鑰比對。
`;
    },
    noStamp: (packet) => `時間：本${packet === 'claim' ? '理賠申請包' : '套件'}中的所有時間（收到時間、拍攝時間、檢查點）皆來自商店自己伺服器的時鐘。
沒有獨立的時間戳記機構證明此檢查點。`,
    stamp: (tsa, time, fingerprint) => `時間：checkpoint.tsr 是針對 checkpoint.txt 原始位元組的 RFC 3161 時間戳記權杖，
由獨立的時間戳記機構簽發：${tsa}。
它證明此檢查點及其中每個原始檔案最遲於 ${time} 已存在。
兩個驗證工具都會檢查此權杖（verify.mjs 透過 timestamp.mjs）。tsa-certificates.pem 收錄權杖所附的
機構憑證（SHA-256 指紋 ${fingerprint}）及其憑證鏈。時間戳記的可信度取決於簽發機構：
只有在您信任該憑證時才採信；本套件不附任何受信任機構清單。使用 OpenSSL 與您信任的機構根憑證：`,
  },
};

/**
 * Whose key: every check above proves the files unchanged since a log recorded them, but any install
 * of Packtrail can make a log under any name. Only the key says it is this shop's.
 */
function readmeKey(language: Language, key: string, keyUrl: string | null): string {
  const fingerprint = keyFingerprint(key);
  const words: Record<Language, string> = {
    en: `Whose log: the checks prove the files are unchanged since the log in checkpoint.txt recorded them,
and that log is signed by the key in key.txt, whose public key is
  ${fingerprint}
A bundle made by any other installation verifies just as well against its own key, so confirm that
this key is the shop's own. ${
      keyUrl
        ? `The shop publishes its key at ${keyUrl}
Open that address and compare what it shows with verification/key.txt: they must be identical.`
        : `This bundle does not say where the shop publishes its key (it was exported from an address no
other computer reaches); ask the shop for it. Its server shows it at /api/v1/ledger/key.`
    }`,
    ko: `누구의 기록인가: 검사는 checkpoint.txt 의 기록에 올라간 뒤로 파일이 바뀌지 않았음을 증명하고,
그 기록은 key.txt 의 키로 서명되어 있습니다. 그 공개 키는 다음과 같습니다.
  ${fingerprint}
다른 설치본이 만든 묶음도 그 자신의 키로는 똑같이 검증되므로, 이 키가 판매자의 키인지 확인하십시오. ${
      keyUrl
        ? `판매자는 키를 ${keyUrl} 에 공개합니다.
그 주소를 열어 verification/key.txt 와 비교하십시오. 둘은 같아야 합니다.`
        : `이 묶음에는 판매자가 키를 공개하는 주소가 적혀 있지 않습니다(다른 컴퓨터가 닿지 않는 주소에서
내보냈습니다). 판매자에게 키를 요청하십시오. 판매자의 서버는 /api/v1/ledger/key 에서 키를 보여 줍니다.`
    }`,
    'zh-TW': `誰的紀錄:檢查證明檔案自 checkpoint.txt 的紀錄寫入後未被更改,而該紀錄由 key.txt 的金鑰簽署,
其公開金鑰為
  ${fingerprint}
任何其他安裝所做的包裹,以其自身的金鑰同樣能通過驗證,因此請確認此金鑰確為賣家所有。${
      keyUrl
        ? `賣家於 ${keyUrl} 公布其金鑰。
請開啟該網址,與 verification/key.txt 比對:兩者必須完全相同。`
        : `本包裹未說明賣家於何處公布其金鑰(它是從其他電腦無法連線的位址匯出的);請向賣家索取。
賣家的伺服器於 /api/v1/ledger/key 顯示金鑰。`
    }`,
  };
  return `\n${words[language] ?? words.en}\n`;
}


/** What a bundle's documents say about its time-stamp. */
export interface KitTimestamp {
  /** ISO 8601 UTC: the checkpoint existed no later than this. */
  genTime: string;
  /** The authority's certificate subject. */
  tsa: string;
  /** Lower-case hex SHA-256 of the authority's certificate, as the verifiers show it. */
  certificateSha256: string;
}

function describeStamp(stamp: CheckpointTimestamp): KitTimestamp {
  const certificate = new X509Certificate(stamp.certificatesPem);
  return { genTime: stamp.genTime, tsa: stamp.tsa, certificateSha256: certificate.fingerprint256.replace(/:/g, '').toLowerCase() };
}

export function createVerificationKitService({
  ledger,
  timestamps,
  publicUrl,
}: {
  /** PUBLIC_URL: where the shop's key can be fetched, when it names a host other machines reach. */
  publicUrl?: string;
  ledger: Pick<
    LedgerService,
    'checkpoint' | 'checkpointAt' | 'entryFor' | 'inclusionProof' | 'publicKey' | 'captureFactsFor' | 'captureInclusionProof' | 'signExportStatement'
  >;
  /** Without it (or without TSA_URL), bundles carry no time-stamp and say that times rest on the shop's clock. */
  timestamps?: Pick<TimestampService, 'enabled' | 'stamp' | 'forCheckpoint' | 'latest'>;
}) {
  const core = inlineableCore(readVerifierSource('verify-core.js'));
  const verifyScript = buildVerifyScript(core, readVerifierSource('verify-cli.mjs'));
  const pageSource = readVerifierSource('verify-page.html');
  // Bundled on first need (esbuild, a fraction of a second), then kept: shops without TSA_URL never pay for it.
  let modules: TimestampModules | undefined;
  let building: Promise<TimestampModules> | undefined;
  const timestampModules = (): TimestampModules => (modules ??= buildTimestampModulesSync());

  /**
   * The checkpoint to prove against: the current one, or, when that has no time-stamp (the authority
   * is down), the newest time-stamped checkpoint that still holds every item and every capture's
   * facts, since an attested time is worth more to the reader than a few minutes of recency.
   */
  function chooseCheckpoint(
    items: Pick<VerificationKitItem, 'mediaId'>[],
    captures: VerificationKitCapture[],
  ): { checkpoint: LedgerCheckpoint; stamp: CheckpointTimestamp | null } {
    const current = ledger.checkpoint();
    if (!timestamps) return { checkpoint: current, stamp: null };
    const stamp = timestamps.forCheckpoint(current.size);
    if (stamp) return { checkpoint: current, stamp };
    const newestStamped = timestamps.latest();
    // The older checkpoint must hold every original and every capture-facts entry the bundle carries;
    // a capture whose facts are not in the log yet travels as "not in the log" whichever is chosen.
    const factsIndexes = captures.flatMap((capture) => {
      const facts = ledger.captureFactsFor(capture.id);
      return facts ? [facts.index] : [];
    });
    const needed = Math.max(0, ...items.map((item) => (ledger.entryFor(item.mediaId)?.index ?? Infinity) + 1), ...factsIndexes.map((index) => index + 1));
    const older = newestStamped && newestStamped.checkpointSize >= needed ? ledger.checkpointAt(newestStamped.checkpointSize) : undefined;
    return older ? { checkpoint: older, stamp: newestStamped! } : { checkpoint: current, stamp: null };
  }

  return {
    /**
     * Before a kit is built: signs a checkpoint of the current log and waits (a bounded time) for its
     * time-stamp, so the bundle carries one. Resolves whether or not the authority answered.
     */
    async prepare(): Promise<void> {
      if (!timestamps?.enabled) return;
      building ??= buildTimestampModules().then((built) => (modules = built));
      await Promise.all([timestamps.stamp(ledger.checkpoint()), building]);
    },

    /**
     * Everything for the bundle's verification/ folder, proving every item and every capture's facts
     * against one checkpoint (signed now if the ledger grew since the last), and which checkpoint and
     * time-stamp that is (the export statement must name the same one). Synchronous and small: the
     * originals themselves are streamed into the bundle by the caller.
     */
    buildVerificationKit(
      items: VerificationKitItem[],
      captures: VerificationKitCapture[] = [],
      /**
       * The address the export was asked for on (where the shop publishes its key, when PUBLIC_URL does
       * not say), and the document the kit travels with: its README speaks that document's language
       * and names the packet.
       */
      {
        requestOrigin, language = 'en', packet = 'bundle', removed = [],
      }: { requestOrigin?: string; language?: Language; packet?: KitPacket; removed?: VerificationKitRemovedItem[] } = {},
    ): {
      files: VerificationKitFile[];
      captureFacts: { captureId: string; leafIndex: number; entry: string }[];
      checkpoint: LedgerCheckpoint;
      timestamp: KitTimestamp | null;
      /** Where the shop publishes the key (publishedKeyUrl), to be named by the export statement too; null when unknown. */
      keyUrl: string | null;
    } {
      const seen = new Set<string>();
      for (const item of items) {
        if (!isSafeBundlePath(item.path)) fail('VALIDATION_FAILED', `"${item.path}" is not a relative path inside a bundle.`);
        if (seen.has(item.path)) fail('VALIDATION_FAILED', `"${item.path}" appears twice in the bundle.`);
        seen.add(item.path);
      }
      const { checkpoint, stamp } = chooseCheckpoint([...items, ...removed], captures);
      const key = ledger.publicKey();
      const keyUrl = publishedKeyUrl(publicUrl, requestOrigin);
      const files = items.map((item) => {
        const proof = ledger.inclusionProof(item.mediaId, checkpoint.size);
        const { sha256, bytes } = parseEntry(proof.entry);
        return {
          path: item.path,
          mediaId: item.mediaId,
          sha256,
          bytes,
          entry: proof.entry,
          leafIndex: proof.leafIndex,
          leafHash: proof.leafHash,
          proof: proof.proof,
        };
      });
      const proofs: ProofsDocument = {
        format: PROOFS_FORMAT,
        about:
          'Hashes are lower-case hex. leafHash = SHA-256(0x00 || UTF-8 entry); proof is the RFC 9162 inclusion ' +
          'proof (sibling hashes from the leaf up) of leafIndex in the tree of treeSize entries whose root is signed in checkpoint.txt.',
        origin: /^(.*)\n/.exec(checkpoint.note)![1],
        treeSize: checkpoint.size,
        rootHash: checkpoint.rootHash,
        files,
        ...(removed.length > 0
          ? {
            removed: removed.map((item) => {
              const proof = ledger.inclusionProof(item.mediaId, checkpoint.size);
              const { sha256, bytes } = parseEntry(proof.entry);
              return {
                mediaId: item.mediaId, sha256, bytes, removedAt: item.removedAt, reason: item.reason,
                entry: proof.entry, leafIndex: proof.leafIndex, leafHash: proof.leafHash, proof: proof.proof,
              };
            }),
          }
          : {}),
      };
      const captureFacts: CaptureFactsDocument = {
        format: CAPTURE_FACTS_PROOFS_FORMAT,
        about:
          'Each capture\'s facts as the log recorded them when it finished (entry), with the RFC 9162 inclusion proof of ' +
          'leafIndex in the tree of treeSize entries signed in checkpoint.txt; leafHash = SHA-256(0x00 || UTF-8 entry).',
        treeSize: checkpoint.size,
        captures: [],
        notInLog: [],
      };
      for (const capture of captures) {
        if (ledger.captureFactsFor(capture.id)) {
          const proof = ledger.captureInclusionProof(capture.id, checkpoint.size);
          captureFacts.captures.push({ captureId: capture.id, entry: proof.entry, leafIndex: proof.leafIndex, leafHash: proof.leafHash, proof: proof.proof });
        } else {
          captureFacts.notInLog.push({
            captureId: capture.id,
            kind: capture.kind,
            reason: capture.finished
              ? 'finished before capture facts were recorded in the log; its facts were never signed'
              : 'not finished when the bundle was made; its facts enter the log when it finishes',
          });
        }
      }
      const proofsText = `${JSON.stringify(proofs, null, 2)}\n`;
      const captureFactsText = `${JSON.stringify(captureFacts, null, 2)}\n`;
      const keyText = `${key}\n`;
      const timestamp = stamp && describeStamp(stamp);
      const pageData: VerifyPageData = { checkpoint: checkpoint.note, key: keyText, proofs: proofsText, captureFacts: captureFactsText, keyUrl };
      const stampFiles: VerificationKitFile[] = [];
      let timestampScript = '';
      if (stamp) {
        const built = timestampModules();
        pageData.timestamps = { tokens: [stamp.token.toString('base64')], certificates: stamp.certificatesPem };
        timestampScript = built.script;
        stampFiles.push(
          { path: 'verification/checkpoint.tsr', content: stamp.token },
          { path: 'verification/tsa-certificates.pem', content: stamp.certificatesPem },
          { path: 'verification/timestamp.mjs', content: built.module },
        );
      }
      return {
        checkpoint,
        timestamp,
        keyUrl,
        files: [
          { path: 'verification/checkpoint.txt', content: checkpoint.note },
          { path: 'verification/key.txt', content: keyText },
          { path: 'verification/proofs.json', content: proofsText },
          { path: CAPTURE_FACTS_PATH, content: captureFactsText },
          ...stampFiles,
          { path: 'verification/verify.mjs', content: verifyScript },
          { path: 'verification/verify.html', content: buildVerifyPage(core, pageSource, pageData, timestampScript) },
          { path: 'verification/README.txt', content: readme(timestamp, readmeKey(language, key, keyUrl), language, packet) },
        ],
        captureFacts: captureFacts.captures.map(({ captureId, leafIndex, entry }) => ({ captureId, leafIndex, entry })),
      };
    },

    /**
     * verification/export-statement.txt: every file the export made (manifest.json last, since it
     * is made last) and a copy of each capture's facts, signed with the log's key. Made once the
     * manifest exists, so it is the bundle's last file.
     */
    signExportStatement(input: {
      checkpoint: { size: number; rootHash: string; origin: string };
      exportedAt: Date;
      dispute: { id: string; orderId: string };
      files: ExportedFile[];
      manifest: Buffer;
      captureFacts: { captureId: string; leafIndex: number; entry: string }[];
      /** buildVerificationKit's keyUrl: the statement names the key and where the shop publishes it. */
      keyUrl: string | null;
    }): VerificationKitFile {
      const text = formatExportStatement({
        origin: input.checkpoint.origin,
        checkpointSize: input.checkpoint.size,
        rootHash: input.checkpoint.rootHash,
        exportedAt: input.exportedAt.toISOString(),
        disputeId: input.dispute.id,
        orderId: input.dispute.orderId,
        key: ledger.publicKey(),
        keyUrl: input.keyUrl,
        files: [
          ...input.files.map(({ path, kind, sha256, bytes }) => ({ path, kind, sha256, bytes })),
          { path: MANIFEST_PATH, kind: 'manifest', sha256: createHash('sha256').update(input.manifest).digest('hex'), bytes: input.manifest.length },
        ],
        facts: input.captureFacts,
      });
      return { path: EXPORT_STATEMENT_PATH, content: ledger.signExportStatement(text) };
    },
  };
}

export type VerificationKitService = ReturnType<typeof createVerificationKitService>;
