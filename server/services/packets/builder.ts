// Makes a planned packet's files in a temporary folder the builder owns: originals copied as they are,
// derived copies made by the fitting functions (on copies only), each measured exactly. Whatever still
// breaks a limit once made is left out and named in the missing list; nothing over a limit ships.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extractStills } from '../../../storage/video';
import type { Language } from '../../domain/vocabulary';
import type { PacketFacts } from './facts';
import type { Fitting } from './fitting-port';
import { checkLimits, type LimitCheck, type Measured } from './limits';
import { withOriginals, type MediaSource } from './media-source';
import type { Narrative } from './narrative';
import { packetStrings } from './narrative';
import { acceptedMimes, type MissingItem, type PacketPlan, type PlannedFile } from './planner';

export interface BuiltFile extends Omit<PlannedFile, 'make'> {
  /** Where it lies in the builder's folder. */
  file: string;
  sha256: string;
  mime: string;
  pages?: number;
  seconds?: number;
}

export interface BuiltPacket {
  files: BuiltFile[];
  /** Missing items found while making the files (a video refused, a file that could not fit). */
  missing: MissingItem[];
}

async function sha256OfFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

const MIME_OF_FORMAT: Record<string, string> = { jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', mp4: 'video/mp4', avi: 'video/x-msvideo', wmv: 'video/x-ms-wmv' };
/** Photos put into the evidence PDF in a format its renderer may not read (WebP, HEIC) are made JPEG first, this large at most. */
const PDF_PHOTO_BYTES = 1_500_000;
/** A stills sheet inside the evidence PDF. */
const PDF_STILLS_BYTES = 600_000;

export interface BuildContext {
  plan: PacketPlan;
  facts: PacketFacts;
  narrative: Narrative;
  source: MediaSource;
  fitting: Fitting;
  /** The builder's own folder (created and removed by the caller). */
  dir: string;
  language: Language;
}

/** Makes every planned file; the ones that cannot be made within their limits become missing items. */
export async function buildFiles(context: BuildContext): Promise<BuiltPacket> {
  const { plan, facts, source, fitting, dir, language } = context;
  const t = packetStrings(language).missing;
  const missing: MissingItem[] = [];
  const built: BuiltFile[] = [];
  const mediaById = new Map(facts.evidence.map((item) => [item.media.id, item.media]));
  const shas = [...new Set(plan.files.flatMap((file) => (file.make.how === 'pdf' ? file.make.images.map((image) => image.sha256) : 'sha256' in file.make ? [file.make.sha256] : [])))];
  let counter = 0;
  const workDir = async () => {
    const folder = path.join(dir, `work-${++counter}`);
    await fsp.mkdir(folder, { recursive: true });
    return folder;
  };

  /** A video's stills: those made at ingest, else made now from the original into the work folder. */
  async function stillsOf(mediaId: string, original: string, durationMs?: number) {
    const ready = await source.stills(mediaId, await workDir());
    if (ready.length > 0) return ready.map((still) => ({ file: still.path, offsetMs: still.offsetMs }));
    const made = await extractStills(original, await workDir(), durationMs !== undefined ? { durationMs } : {});
    return made.map((still) => ({ file: still.path, offsetMs: still.offsetMs }));
  }

  /**
   * A JPEG copy of a photo within `maxBytes`; from its upright thumbnail when the original is one no decoder
   * here reads (an HEVC HEIC), which is better than no photo at all.
   */
  async function fitPhotoOf(mediaId: string, original: string, maxBytes: number) {
    try {
      return await fitting.fitPhoto(original, { formats: ['jpeg'], maxBytes, outDir: await workDir() });
    } catch (error) {
      const thumbnail = await source.derived(mediaId, 'thumbnail.jpg', await workDir());
      if (!thumbnail) throw error;
      return fitting.fitPhoto(thumbnail, { formats: ['jpeg'], maxBytes, outDir: await workDir() });
    }
  }

  await withOriginals(source, shas, async (originals) => {
    for (const planned of plan.files) {
      const { make, ...file } = planned;
      const target = path.join(dir, 'packet', planned.path);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      try {
        switch (make.how) {
          case 'original': {
            await fsp.copyFile(originals.get(make.sha256)!, target, fs.constants.COPYFILE_FICLONE);
            const media = mediaById.get(make.mediaId)!;
            built.push({ ...file, file: target, bytes: media.bytes, sha256: media.sha256, mime: media.mime, ...(media.durationMs !== undefined ? { seconds: media.durationMs / 1000 } : {}) });
            break;
          }
          case 'photo': {
            const fitted = await fitPhotoOf(make.mediaId, originals.get(make.sha256)!, make.maxBytes);
            await fsp.rename(fitted.file, target);
            built.push({ ...file, file: target, bytes: fitted.bytes, sha256: await sha256OfFile(target), mime: fitted.mime });
            break;
          }
          case 'video': {
            const fitted = await fitting.fitVideo(originals.get(make.sha256)!, {
              formats: make.formats, maxBytes: make.maxBytes, continuous: make.continuous, outDir: await workDir(),
              ...(make.maxSeconds !== undefined ? { maxSeconds: make.maxSeconds } : {}),
            });
            if ('refused' in fitted) {
              const limit = `${Math.round(make.maxSeconds ?? 0)} s`;
              missing.push(
                fitted.refused === 'TOO_LONG_FOR_LIMIT'
                  ? { code: 'VIDEO_TOO_LONG_TO_FIT', text: t.VIDEO_TOO_LONG_TO_FIT(`${Math.round(fitted.seconds)} s`, limit) }
                  : { code: 'VIDEO_CANNOT_FIT_SIZE', text: t.VIDEO_CANNOT_FIT_SIZE(megabytes(fitted.neededBytes), megabytes(make.maxBytes)) },
              );
              break;
            }
            await fsp.rename(fitted.file, target);
            const total = (make.durationMs ?? fitted.seconds * 1000) / 1000;
            if (fitted.trimmed) missing.push({ code: 'VIDEO_TRIMMED', text: t.VIDEO_TRIMMED(`${Math.round(fitted.seconds)} s`, `${Math.round(total)} s`) });
            built.push({ ...file, file: target, bytes: fitted.bytes, sha256: await sha256OfFile(target), mime: MIME_OF_FORMAT[make.formats[0]] ?? 'video/mp4', seconds: fitted.seconds });
            break;
          }
          case 'stills': {
            const stills = await stillsOf(make.mediaId, originals.get(make.sha256)!, make.durationMs);
            const sheet = await fitting.stillsSheet(stills, { caption: make.caption, maxBytes: make.maxBytes, outDir: await workDir(), language });
            await fsp.rename(sheet.file, target);
            built.push({ ...file, file: target, bytes: sheet.bytes, sha256: await sha256OfFile(target), mime: 'image/jpeg' });
            break;
          }
          case 'pdf': {
            const images: { file: string; caption: string }[] = [];
            for (const image of make.images) {
              const original = originals.get(image.sha256)!;
              const media = mediaById.get(image.mediaId)!;
              if (image.kind === 'stills') {
                const stills = await stillsOf(image.mediaId, original, image.durationMs);
                images.push({ file: (await fitting.stillsSheet(stills, { caption: image.caption, maxBytes: PDF_STILLS_BYTES, outDir: await workDir(), language })).file, caption: image.caption });
              } else if (media.mime === 'image/jpeg' || media.mime === 'image/png') {
                images.push({ file: original, caption: image.caption });
              } else {
                // One picture no decoder reads is left out of the document, never the document itself.
                const fitted = await fitPhotoOf(image.mediaId, original, PDF_PHOTO_BYTES).catch(() => undefined);
                if (fitted) images.push({ file: fitted.file, caption: image.caption });
                else missing.push({ code: 'PHOTO_UNDECODABLE', text: t.PHOTO_UNDECODABLE(`E${image.evidence}`, media.mime.split('/')[1]?.toUpperCase() ?? media.mime) });
              }
            }
            const pdf = await fitting.evidencePdf({
              language, title: context.narrative.title, narrative: context.narrative.paragraphs, facts: context.narrative.rows.map(([label, value]) => ({ label, value })), images,
              maxPages: make.maxPages, maxBytes: make.maxBytes, outDir: await workDir(),
            });
            await fsp.rename(pdf.file, target);
            if (pdf.picturesLeftOut) missing.push({ code: 'PICTURES_LEFT_OUT', text: t.PICTURES_LEFT_OUT(pdf.picturesLeftOut) });
            built.push({ ...file, file: target, bytes: pdf.bytes, sha256: await sha256OfFile(target), mime: 'application/pdf', pages: pdf.pages });
            break;
          }
          case 'claim-packet':
            break;
        }
      } catch (error) {
        // A file that cannot be made (an original no codec reads) is left out and said so; the rest still go.
        missing.push(planned.kind === 'evidencePdf' ? { code: 'NO_EVIDENCE_PDF', text: t.NO_EVIDENCE_PDF } : { code: 'COULD_NOT_FIT', text: t.COULD_NOT_FIT(planned.evidence ? `E${planned.evidence}` : planned.path) });
        if (!(error instanceof Error)) throw error;
      }
    }
  });
  return { files: enforceLimits(plan, built, missing, language), missing };
}

const megabytes = (bytes: number) => `${(bytes / 1_000_000).toFixed(1)} MB`;

/** Leaves out whatever still breaks a limit once made: a file too large, then the last pictures until the total fits. */
function enforceLimits(plan: PacketPlan, built: BuiltFile[], missing: MissingItem[], language: Language): BuiltFile[] {
  const t = packetStrings(language);
  const { limits } = plan.profile;
  const accepted = acceptedMimes(plan.profile);
  const kept = built.filter((file) => {
    const perFile = Math.min(
      limits.maxFileBytes ?? Infinity,
      file.kind === 'video' ? (limits.maxVideoBytes ?? Infinity) : file.mime.startsWith('image/') ? (limits.maxPhotoBytes ?? Infinity) : Infinity,
    );
    const fits = file.bytes <= perFile && accepted.has(file.mime) && (file.kind !== 'video' || limits.maxVideoSeconds === undefined || (file.seconds !== undefined && file.seconds <= limits.maxVideoSeconds + 0.5));
    if (!fits) missing.push({ code: 'COULD_NOT_FIT', text: t.missing.COULD_NOT_FIT(file.evidence ? `E${file.evidence}` : file.path) });
    return fits;
  });
  const total = () => kept.reduce((sum, file) => sum + file.bytes, 0);
  const pages = () => kept.reduce((sum, file) => sum + (file.pages ?? 0), 0);
  while ((limits.maxTotalBytes !== undefined && total() > limits.maxTotalBytes) || (limits.maxPages !== undefined && pages() > limits.maxPages)) {
    // The last picture that is not the label goes first; the evidence PDF and the video last.
    const rank = (file: BuiltFile) => (file.kind === 'photo' || file.kind === 'stills' ? 0 : file.kind === 'label' ? 1 : 2);
    const victim = [...kept].sort((a, b) => rank(a) - rank(b) || (b.evidence ?? 0) - (a.evidence ?? 0))[0];
    kept.splice(kept.indexOf(victim), 1);
    missing.push({ code: 'LEFT_OUT_FOR_LIMIT', text: t.missing.LEFT_OUT_FOR_LIMIT(victim.evidence ? `E${victim.evidence}` : victim.path, t.limits[limits.maxPages !== undefined && pages() > limits.maxPages ? 'PAGES' : 'TOTAL_BYTES']) });
  }
  return kept;
}

/** The limits measured on built files (exact) and the fields' text. */
export function measureBuilt(plan: PacketPlan, files: BuiltFile[], textCharacters: number, language: Language): LimitCheck[] {
  const accepted = acceptedMimes(plan.profile);
  const measured: Measured = {
    files: files.map((file) => ({ bytes: file.bytes, kind: file.mime.startsWith('image/') ? 'photo' : file.mime.startsWith('video/') ? 'video' : file.mime === 'application/pdf' ? 'pdf' : 'other' })),
    pages: files.reduce((sum, file) => sum + (file.pages ?? 0), 0),
    videoSeconds: Math.max(0, ...files.filter((file) => file.kind === 'video').map((file) => file.seconds ?? 0)),
    textCharacters,
    unacceptedFiles: files.filter((file) => !accepted.has(file.mime)).length,
  };
  return checkLimits(plan.profile, measured, language);
}
