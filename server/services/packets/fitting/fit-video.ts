// A video copy within a recipient's size and length limits: H.264/AAC MP4 re-encoded from the original
// (only ever read) at a bitrate worked out from the limit, scaled down as the bitrate requires, and
// trimmed only when the recipient does not ask for one continuous recording.
import fs from 'node:fs/promises';
import path from 'node:path';
import { UnreadableMediaError, probeMedia, writeSizedCopy } from '../../../../storage/video';
import { outputName } from './output';

export type VideoFormat = 'mp4' | 'avi' | 'wmv';

export interface FitVideoOptions {
  formats: VideoFormat[];
  maxBytes: number;
  maxSeconds?: number;
  /** The recipient wants the recording whole (Shopee's unedited unboxing): never trimmed, refused instead. */
  continuous: boolean;
  /** The folder the copy is written into (the packet builder's, removed after the ZIP is written). */
  outDir: string;
  /** File name without extension; the original's name by default. */
  name?: string;
}

export interface FittedVideo {
  file: string;
  bytes: number;
  /** The copy's length as ffprobe reads it. */
  seconds: number;
  /** Whether only the start of the recording was kept (maxSeconds, not continuous). */
  trimmed: boolean;
}

export interface RefusedVideo {
  refused: 'TOO_LONG_FOR_LIMIT' | 'CANNOT_FIT_SIZE';
  /** The original's length. */
  seconds: number;
  /** Bytes the (kept part of the) recording needs at the lowest quality still worth sending. */
  neededBytes: number;
}

export type FitVideoResult = FittedVideo | RefusedVideo;

// Part of the limit kept back: x264's average bitrate drifts by a few per cent over a clip.
const SAFETY_MARGIN = 0.06;
// The MP4 index grows with the number of frames; this bounds it for phone frame rates.
const containerBytes = (seconds: number) => 16_384 + Math.ceil(seconds * 600);

/** Below this a 480p picture smears a waybill into grey: refuse rather than send that. */
const LOWEST_SANE_KBPS = 300;
/** Long sides from 1080p down to 480p, each with the least video bitrate it still looks right at. */
const RUNGS = [
  { longSide: 1920, minKbps: 3000, maxKbps: 8000 },
  { longSide: 1280, minKbps: 1200, maxKbps: 5000 },
  { longSide: 854, minKbps: LOWEST_SANE_KBPS, maxKbps: 2500 },
] as const;
const LOWEST_AUDIO_KBPS = 32;
// Two cores on the machines this runs on; the rest of the server keeps working meanwhile.
const ENCODER_THREADS = 2;
// Trimming cuts at a frame; audio frames can end a few tens of milliseconds later.
const TRIM_SLACK_MS = 150;
const MAX_ATTEMPTS = 2;

export async function fitVideo(input: string, opts: FitVideoOptions): Promise<FitVideoResult> {
  if (!opts.formats.includes('mp4')) throw new Error(`fitVideo writes MP4, which is not among ${opts.formats.join(', ')}`);
  const source = await probeMedia(input);
  if (!source.durationMs || source.durationMs <= 0) throw new UnreadableMediaError('the recording has no readable length');
  const seconds = source.durationMs / 1000;
  const hasAudio = source.audioCodec !== undefined;

  let keepMs: number | undefined;
  if (opts.maxSeconds !== undefined && seconds > opts.maxSeconds) {
    if (opts.continuous) return { refused: 'TOO_LONG_FOR_LIMIT', seconds, neededBytes: leastBytes(seconds, hasAudio) };
    keepMs = Math.max(1000, opts.maxSeconds * 1000 - TRIM_SLACK_MS);
  }
  const keptSeconds = (keepMs ?? source.durationMs) / 1000;
  const sourceLongSide = Math.max(source.width ?? 0, source.height ?? 0) || RUNGS[0].longSide;

  const first = planEncoding(opts.maxBytes, keptSeconds, hasAudio, sourceLongSide);
  if (!first) return { refused: 'CANNOT_FIT_SIZE', seconds, neededBytes: leastBytes(keptSeconds, hasAudio) };

  const file = path.join(opts.outDir, `${outputName(input, opts.name)}.mp4`);
  let plan: Plan = first;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    await writeSizedCopy(input, file, { ...plan, keepMs, threads: ENCODER_THREADS }, source);
    const bytes = (await fs.stat(file)).size;
    const made = await probeMedia(file);
    if (made.videoCodec !== 'h264' || made.durationMs === undefined) {
      await fs.rm(file, { force: true });
      throw new UnreadableMediaError('the sized copy does not read back as H.264 video');
    }
    const madeSeconds = made.durationMs / 1000;
    if (opts.maxSeconds !== undefined && madeSeconds > opts.maxSeconds) {
      await fs.rm(file, { force: true });
      throw new Error(`the trimmed copy is ${madeSeconds} s long, over the ${opts.maxSeconds} s limit`);
    }
    if (bytes <= opts.maxBytes) return { file, bytes, seconds: madeSeconds, trimmed: keepMs !== undefined };

    // Over: the encoder spent more than asked. Ask for less in proportion to the overshoot.
    const next: Plan | undefined = attempt < MAX_ATTEMPTS ? replan(plan, bytes, opts.maxBytes, keptSeconds, sourceLongSide) : undefined;
    if (!next) {
      await fs.rm(file, { force: true });
      return { refused: 'CANNOT_FIT_SIZE', seconds, neededBytes: bytes };
    }
    plan = next;
  }
  throw new Error('unreachable');
}

interface Plan {
  longSide: number;
  videoKbps: number;
  audioKbps: number;
}

/** The bitrates and size for a first attempt, or undefined when even 480p at the least bitrate is too big. */
function planEncoding(maxBytes: number, seconds: number, hasAudio: boolean, sourceLongSide: number): Plan | undefined {
  const budgetKbps = ((maxBytes * (1 - SAFETY_MARGIN) - containerBytes(seconds)) * 8) / seconds / 1000;
  const audioKbps = !hasAudio ? 0 : budgetKbps >= 1500 ? 96 : budgetKbps >= 600 ? 64 : LOWEST_AUDIO_KBPS;
  return pickRung(budgetKbps - audioKbps, audioKbps, sourceLongSide);
}

function replan(plan: Plan, madeBytes: number, maxBytes: number, seconds: number, sourceLongSide: number): Plan | undefined {
  const audioBytes = (plan.audioKbps * 1000 * seconds) / 8;
  const overhead = containerBytes(seconds);
  const madeVideoBytes = Math.max(1, madeBytes - audioBytes - overhead);
  const allowedVideoBytes = maxBytes * (1 - 2 * SAFETY_MARGIN) - audioBytes - overhead;
  if (allowedVideoBytes <= 0) return undefined;
  return pickRung(plan.videoKbps * (allowedVideoBytes / madeVideoBytes), plan.audioKbps, sourceLongSide);
}

function pickRung(videoKbps: number, audioKbps: number, sourceLongSide: number): Plan | undefined {
  const rung = RUNGS.find((candidate) => videoKbps >= candidate.minKbps);
  if (!rung) return undefined;
  // Never enlarged; and a small source needs no more bits than its rung's ceiling, however big the limit.
  const longSide = Math.min(rung.longSide, sourceLongSide);
  return { longSide, videoKbps: Math.min(videoKbps, rung.maxKbps), audioKbps };
}

/** What `seconds` of recording needs at 480p and the least bitrate, with the margins a fit keeps. */
function leastBytes(seconds: number, hasAudio: boolean): number {
  const kbps = LOWEST_SANE_KBPS + (hasAudio ? LOWEST_AUDIO_KBPS : 0);
  return Math.ceil(((kbps * 1000 * seconds) / 8 + containerBytes(seconds)) / (1 - SAFETY_MARGIN));
}
