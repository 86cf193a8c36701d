// Runs ffprobe and ffmpeg for audio and video: the only importer of their binaries, so every run is an
// argument array (no shell), bounded in time and output, and limited to the containers phones record.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';
import ffprobeInstaller from '@ffprobe-installer/ffprobe';
import { fsyncPath } from './fsync';

/** The static binaries, for later features (stills sheets, playback copies) that run them directly. */
export const ffmpegPath: string = ffmpegInstaller.path;
export const ffprobePath: string = ffprobeInstaller.path;

export interface MediaProbe {
  durationMs?: number;
  /** Upright: already swapped when the video is stored sideways (phones held upright). */
  width?: number;
  height?: number;
  videoCodec?: string;
  audioCodec?: string;
  /** Degrees clockwise a player turns the stored frames to show them upright: 90, 180 or 270; absent when none. */
  rotation?: number;
}

/** ffprobe/ffmpeg could not read the file as audio or video (wrong type, corrupt, or no usable stream). */
export class UnreadableMediaError extends Error {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(`not readable as audio or video: ${reason}`, options);
  }
}

const DEFAULT_POSTER_LONG_SIDE = 480;
const DEFAULT_POSTER_AT_MS = 1000;

const PROBE_TIMEOUT_MS = 30_000;
// Reading every packet of a long recording is disk-bound; allow it far longer than a header probe.
const PACKET_SCAN_TIMEOUT_MS = 180_000;
const POSTER_TIMEOUT_MS = 60_000;
// ffprobe's JSON for a normal file is a few KB; anything far larger is hostile or broken.
const MAX_PROBE_OUTPUT_BYTES = 1024 * 1024;

// Demuxers we let ffmpeg pick from. Without this list a crafted "video" could be an HLS playlist or a
// concat script that makes ffmpeg open other local files or URLs.
const ALLOWED_MEDIA_FORMATS = 'mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,ogg,mp3,wav,aac,flac,amr';
const ALLOWED_POSTER_FORMATS = 'mjpeg,jpeg_pipe,image2';

const COMMON_FFMPEG_INPUT_ARGS = [
  '-nostdin', '-hide_banner', '-loglevel', 'error',
  '-protocol_whitelist', 'file',
  '-format_whitelist', ALLOWED_MEDIA_FORMATS,
];

/** Duration, upright picture size and codecs. Anything that is not audio or video: UnreadableMediaError. */
export async function probeMedia(file: string): Promise<MediaProbe> {
  return (await probe(file)).summary;
}

// Packets read to prove a recording has content: enough to get past cover art and a stray data packet.
const PROOF_PACKETS = 16;

/**
 * Decides at upload whether anything can be played from the file: its header names an audio or video
 * stream and at least one packet of one follows. A recording cut short (the phone died at 70%) is
 * readable up to that point and passes; 16 bytes of an MP4, or an MP4 whose index (moov) never got
 * written, do not. Reads only the header and the first few packets, so a long video costs no more than
 * a short one. Tells whether it holds a picture (a video) or only sound. Throws UnreadableMediaError.
 */
export async function verifyMediaReadable(location: string): Promise<{ hasPicture: boolean }> {
  let parsed: FfprobeOutput & { packets?: { stream_index?: number }[] };
  // An object store's presigned URL (OriginalsStore.withStagedLocation) is read over HTTP, with range
  // requests; a path only as a file. The format whitelist still keeps out playlists and other formats
  // that would make ffprobe open further locations.
  const remote = /^https?:\/\//.test(location);
  try {
    const output = await run(
      ffprobePath,
      [
        '-v', 'error', '-protocol_whitelist', remote ? 'http,https,tcp,tls' : 'file', '-format_whitelist', ALLOWED_MEDIA_FORMATS,
        '-read_intervals', `%+#${PROOF_PACKETS}`,
        '-show_entries', 'stream=index,codec_type:stream_disposition=attached_pic:packet=stream_index',
        '-print_format', 'json', remote ? location : asFileUrl(location),
      ],
      { timeoutMs: PROBE_TIMEOUT_MS, maxStdoutBytes: MAX_PROBE_OUTPUT_BYTES },
    );
    parsed = JSON.parse(output) as typeof parsed;
  } catch (error) {
    if (error instanceof ToolFailedError) throw new UnreadableMediaError(error.stderrTail || 'ffprobe failed', { cause: error });
    throw error;
  }
  const pictures = (parsed.streams ?? []).filter((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const playable = new Set([...pictures, ...(parsed.streams ?? []).filter((s) => s.codec_type === 'audio')].map((s) => s.index));
  if (playable.size === 0) throw new UnreadableMediaError('no audio or video stream');
  if (!(parsed.packets ?? []).some((p) => p.stream_index !== undefined && playable.has(p.stream_index))) {
    throw new UnreadableMediaError('the file ends before its first audio or video packet');
  }
  return { hasPicture: pictures.length > 0 };
}

/**
 * Writes one upright JPEG frame at most `longSide` on its long side (never enlarged). By default the
 * frame 1 s in, or the middle of a shorter clip; falls back to the first frame when the seek finds none.
 * The JPEG appears under `outFile` only once complete.
 */
export async function writePosterFrame(
  file: string,
  outFile: string,
  opts: { longSide?: number; atMs?: number } = {},
): Promise<{ width: number; height: number }> {
  const { summary, videoStreamIndex } = await probe(file);
  if (videoStreamIndex === undefined) throw new UnreadableMediaError('no video stream');

  const longSide = opts.longSide ?? DEFAULT_POSTER_LONG_SIDE;
  const atMs = opts.atMs ?? defaultPosterTime(summary.durationMs);
  const tmp = `${outFile}.${randomUUID()}.tmp`;
  try {
    // A seek past the end (or into a damaged stretch) yields no frame, sometimes without an error.
    const frameAtSeek =
      atMs > 0 &&
      (await extractFrame(file, tmp, { videoStreamIndex, longSide, atMs }).then(
        () => hasBytes(tmp),
        () => false,
      ));
    if (!frameAtSeek) {
      try {
        await extractFrame(file, tmp, { videoStreamIndex, longSide, atMs: 0 });
      } catch (error) {
        if (error instanceof ToolFailedError) throw new UnreadableMediaError(error.stderrTail || 'ffmpeg failed', { cause: error });
        throw error;
      }
    }
    if (!(await hasBytes(tmp))) throw new UnreadableMediaError('no decodable video frame');
    const size = await readPosterSize(tmp);
    await fsyncPath(tmp);
    await fs.rename(tmp, outFile);
    return size;
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

function defaultPosterTime(durationMs: number | undefined): number {
  if (durationMs === undefined) return DEFAULT_POSTER_AT_MS;
  return Math.min(DEFAULT_POSTER_AT_MS, Math.floor(durationMs / 2));
}

async function extractFrame(
  file: string,
  outFile: string,
  { videoStreamIndex, longSide, atMs, timeoutMs = POSTER_TIMEOUT_MS }: { videoStreamIndex: number; longSide: number; atMs: number; timeoutMs?: number },
): Promise<void> {
  const fit = fitFilter(longSide);
  await run(
    ffmpegPath,
    [
      ...COMMON_FFMPEG_INPUT_ARGS,
      ...(atMs > 0 ? ['-ss', (atMs / 1000).toFixed(3)] : []),
      '-i', asFileUrl(file),
      '-map', `0:${videoStreamIndex}`,
      '-frames:v', '1',
      '-vf', fit,
      '-map_metadata', '-1',
      '-c:v', 'mjpeg',
      '-pix_fmt', 'yuvj420p',
      '-q:v', '3',
      '-f', 'mjpeg',
      '-y', outFile,
    ],
    { timeoutMs },
  );
}

async function readPosterSize(jpeg: string): Promise<{ width: number; height: number }> {
  const output = await run(
    ffprobePath,
    [
      '-v', 'error', '-protocol_whitelist', 'file', '-format_whitelist', ALLOWED_POSTER_FORMATS,
      '-show_entries', 'stream=width,height', '-of', 'json', asFileUrl(jpeg),
    ],
    { timeoutMs: PROBE_TIMEOUT_MS, maxStdoutBytes: MAX_PROBE_OUTPUT_BYTES },
  );
  const stream = (JSON.parse(output) as FfprobeOutput).streams?.[0];
  if (!stream?.width || !stream.height) throw new Error('ffmpeg wrote a poster frame ffprobe cannot size');
  return { width: stream.width, height: stream.height };
}

// ——— stills sheets ———

export interface Still {
  /** From the start of the recording. */
  offsetMs: number;
  path: string;
}

export interface StillsOptions {
  /** The wanted spacing; widened on long recordings so `max` stills still span the whole of it. */
  everyMs?: number;
  max?: number;
  longSide?: number;
  /** Already known (from the media row), so a recording without a header duration is not scanned again. */
  durationMs?: number;
}

const DEFAULT_STILL_EVERY_MS = 5000;
const DEFAULT_MAX_STILLS = 24;
const DEFAULT_STILL_LONG_SIDE = 320;
// Seeking costs a process per still but decodes only a second or so around each; one decoding pass costs
// the whole recording. Below this length the single pass is cheaper.
const SEEK_FROM_DURATION_MS = 60_000;
const SEEK_TIMEOUT_MS = 60_000;

/**
 * Writes upright JPEG stills every few seconds (at most `max`, spread over the whole recording) into
 * `outDir` as still-<offsetMs>.jpg, and returns them in order. Files appear only once all are written.
 *
 * Indexed containers (MP4/MOV) longer than a minute are read by seeking to each offset, so a 10-minute
 * 4K phone video costs a few seconds of decoding, not ten minutes of it. Anything else (browser-recorded
 * WebM has no index, and often a single keyframe at the start) is decoded once through ffmpeg's fps
 * filter.
 */
export async function extractStills(file: string, outDir: string, opts: StillsOptions = {}): Promise<Still[]> {
  const details = await probe(file, { durationMs: opts.durationMs });
  if (details.videoStreamIndex === undefined) throw new UnreadableMediaError('no video stream');
  const { durationMs } = details.summary;
  const longSide = opts.longSide ?? DEFAULT_STILL_LONG_SIDE;
  const max = Math.max(1, Math.floor(opts.max ?? DEFAULT_MAX_STILLS));
  const everyMs = stillSpacing(durationMs, opts.everyMs ?? DEFAULT_STILL_EVERY_MS, max);

  await fs.mkdir(outDir, { recursive: true });
  const work = path.join(outDir, `.stills-${randomUUID()}.tmp`);
  await fs.mkdir(work);
  try {
    const indexed = /\b(mov|mp4)\b/.test(details.formatName ?? '');
    const written =
      indexed && durationMs !== undefined && durationMs > SEEK_FROM_DURATION_MS
        ? await stillsBySeeking(file, work, { videoStreamIndex: details.videoStreamIndex, longSide, everyMs, max, durationMs })
        : await stillsInOnePass(file, work, { videoStreamIndex: details.videoStreamIndex, longSide, everyMs, max, durationMs });
    if (written.length === 0) throw new UnreadableMediaError('no decodable video frame');

    const stills: Still[] = [];
    for (const still of written) {
      const final = path.join(outDir, `still-${String(still.offsetMs).padStart(9, '0')}.jpg`);
      await fsyncPath(still.path);
      await fs.rename(still.path, final);
      stills.push({ offsetMs: still.offsetMs, path: final });
    }
    await fsyncPath(outDir);
    return stills;
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** Whole seconds, at least one, wide enough that `max` stills reach the end. */
function stillSpacing(durationMs: number | undefined, everyMs: number, max: number): number {
  let spacing = Math.max(1000, Math.round(everyMs / 1000) * 1000);
  if (durationMs === undefined) return spacing;
  // A short clip still gets a few stills rather than one at 00:00.
  if (durationMs < spacing * 3) spacing = Math.max(1000, Math.floor(durationMs / 3000) * 1000);
  const needed = Math.ceil(durationMs / max / 1000) * 1000;
  return Math.max(spacing, needed);
}

interface StillsPlan {
  videoStreamIndex: number;
  longSide: number;
  everyMs: number;
  max: number;
  durationMs?: number;
}

function fitFilter(longSide: number): string {
  // min(iw, …) keeps small videos at their own size; "decrease" then keeps the aspect ratio.
  // ffmpeg turns phone videos upright itself (autorotate) before this filter runs.
  return `scale='min(iw,${longSide})':'min(ih,${longSide})':force_original_aspect_ratio=decrease`;
}

async function stillsInOnePass(file: string, work: string, plan: StillsPlan): Promise<Still[]> {
  await run(
    ffmpegPath,
    [
      ...COMMON_FFMPEG_INPUT_ARGS,
      '-i', asFileUrl(file),
      '-map', `0:${plan.videoStreamIndex}`,
      // The fps filter keeps the frame nearest each multiple of the spacing, counted from the first frame.
      '-vf', `fps=1000/${plan.everyMs},${fitFilter(plan.longSide)}`,
      '-frames:v', String(plan.max),
      '-map_metadata', '-1',
      '-c:v', 'mjpeg', '-pix_fmt', 'yuvj420p', '-q:v', '4',
      '-f', 'image2', '-start_number', '0',
      path.join(work, '%05d.jpg'),
    ],
    // Decoding runs at many times real speed on a phone's resolutions; unknown length gets a fixed ceiling.
    { timeoutMs: plan.durationMs !== undefined ? 60_000 + plan.durationMs * 2 : 30 * 60_000 },
  );
  const names = (await fs.readdir(work)).filter((name) => /^\d{5}\.jpg$/.test(name)).sort();
  const stills: Still[] = [];
  for (const name of names) {
    const file = path.join(work, name);
    if (!(await hasBytes(file))) continue;
    const offsetMs = Number(name.slice(0, 5)) * plan.everyMs;
    // The fps filter may repeat the last frame once past the end; a label beyond the recording would mislead.
    if (plan.durationMs !== undefined && offsetMs > plan.durationMs) continue;
    stills.push({ offsetMs, path: file });
  }
  return stills;
}

async function stillsBySeeking(file: string, work: string, plan: StillsPlan & { durationMs: number }): Promise<Still[]> {
  const stills: Still[] = [];
  for (let index = 0; index < plan.max; index++) {
    const offsetMs = index * plan.everyMs;
    if (offsetMs >= plan.durationMs) break;
    const out = path.join(work, `${String(index).padStart(5, '0')}.jpg`);
    await extractFrame(file, out, { videoStreamIndex: plan.videoStreamIndex, longSide: plan.longSide, atMs: offsetMs, timeoutMs: SEEK_TIMEOUT_MS }).catch(
      // A damaged stretch costs that still, not the sheet.
      () => undefined,
    );
    if (await hasBytes(out)) stills.push({ offsetMs, path: out });
  }
  return stills;
}

// ——— playback copies ———

const PLAYBACK_LONG_SIDE = 1920;
const PLAYBACK_CRF = '23';
const PLAYBACK_AUDIO_BITRATE = '128k';
// Browsers play 8-bit 4:2:0 H.264 only; 10-bit or 4:4:4 H.264 is H.264 in name alone.
const PLAYABLE_PIXEL_FORMATS = new Set(['yuv420p', 'yuvj420p']);


/**
 * Runs ffmpeg with `args` (inputs, maps, codecs) writing a fast-start MP4 into a temporary file beside
 * `outFile`, then makes it durable and renames it into place; on any failure the temporary file goes.
 */
async function writeMp4(outFile: string, args: string[], { timeoutMs, what }: { timeoutMs: number; what: string }): Promise<void> {
  const tmp = `${outFile}.${randomUUID()}.tmp`;
  try {
    await run(
      ffmpegPath,
      [
        ...args,
        // Sparse audio in phone recordings can outrun the muxer's default queue in this ffmpeg.
        '-max_muxing_queue_size', '4096',
        '-movflags', '+faststart',
        '-f', 'mp4',
        '-y', asFileUrl(tmp),
      ],
      { timeoutMs },
    ).catch((error: unknown) => {
      if (error instanceof ToolFailedError) throw new UnreadableMediaError(error.stderrTail || 'ffmpeg failed', { cause: error });
      throw error;
    });
    if (!(await hasBytes(tmp))) throw new UnreadableMediaError(`ffmpeg wrote no ${what}`);
    await fsyncPath(tmp);
    await fs.rename(tmp, outFile);
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}

/**
 * Writes an MP4 (H.264 + AAC, index at the front) that every browser and desktop player opens and seeks
 * in, beside an original that stays untouched. A stream already in H.264 (8-bit 4:2:0) or AAC is copied
 * bit for bit; anything else is re-encoded (x264 veryfast, CRF 23, at most 1920 px on the long side,
 * even dimensions). `remuxed` is true when the picture was copied, not re-encoded. The copy appears under
 * `outFile` only once complete. `known` (the media row's probe) spares a second scan for the length.
 */
export async function makePlaybackCopy(file: string, outFile: string, known?: MediaProbe): Promise<{ remuxed: boolean }> {
  const details = await probe(file, { durationMs: known?.durationMs });
  if (details.videoStreamIndex === undefined) throw new UnreadableMediaError('no video stream');
  const { summary } = details;
  const copyVideo = summary.videoCodec === 'h264' && PLAYABLE_PIXEL_FORMATS.has(details.videoPixelFormat ?? '');
  const copyAudio = summary.audioCodec === 'aac';
  const durationMs = summary.durationMs;

  const videoArgs = copyVideo
    ? ['-c:v', 'copy']
    : [
        '-vf',
        // Never enlarged; libx264 with 4:2:0 needs even dimensions.
        `scale='min(iw,${PLAYBACK_LONG_SIDE})':'min(ih,${PLAYBACK_LONG_SIDE})':force_original_aspect_ratio=decrease,scale=trunc(iw/2)*2:trunc(ih/2)*2`,
        '-c:v', 'libx264', '-preset', 'veryfast', '-crf', PLAYBACK_CRF,
        '-pix_fmt', 'yuv420p', '-profile:v', 'high', '-level', '4.1',
      ];
  const audioArgs = summary.audioCodec === undefined ? [] : copyAudio ? ['-c:a', 'copy'] : ['-c:a', 'aac', '-b:a', PLAYBACK_AUDIO_BITRATE, '-ac', '2'];
  // Copying is disk-bound; encoding on a small shared machine may run slower than real time.
  const timeoutMs =
    durationMs === undefined
      ? 4 * 60 * 60_000
      : copyVideo
        ? 60_000 + durationMs / 2
        : 120_000 + durationMs * 4;

  await writeMp4(
    outFile,
    [
      ...COMMON_FFMPEG_INPUT_ARGS,
      '-i', asFileUrl(file),
      '-map', `0:${details.videoStreamIndex}`,
      '-map', '0:a:0?',
      ...videoArgs,
      ...audioArgs,
    ],
    { timeoutMs, what: 'playback copy' },
  );
  return { remuxed: copyVideo };
}

// ——— copies that fit a size limit (recipient packets) ———

export interface SizedCopyEncoding {
  /** At most this many pixels on the long side, never enlarged. */
  longSide: number;
  /** Average bitrates (x264 ABR, single pass). */
  videoKbps: number;
  audioKbps: number;
  /** Keep only the first this many milliseconds; absent: the whole recording. */
  keepMs?: number;
  /** Encoder and decoder threads: the machine is small and shared. */
  threads: number;
}

/**
 * Writes an H.264 (8-bit 4:2:0, High profile) + AAC MP4 with its index at the front, at an average
 * bitrate chosen by the caller to land under a size limit, scaled down to `longSide` and turned upright.
 * Metadata (a phone's GPS position, its model) is not carried over. The copy appears under `outFile`
 * only once complete; the original is only read.
 */
export async function writeSizedCopy(file: string, outFile: string, encoding: SizedCopyEncoding, known?: MediaProbe): Promise<void> {
  const details = await probe(file, { durationMs: known?.durationMs });
  if (details.videoStreamIndex === undefined) throw new UnreadableMediaError('no video stream');
  const durationMs = Math.min(details.summary.durationMs ?? Infinity, encoding.keepMs ?? Infinity);
  const threads = String(Math.max(1, Math.floor(encoding.threads)));
  const videoKbps = Math.max(1, Math.round(encoding.videoKbps));
  const audioArgs =
    details.summary.audioCodec === undefined
      ? []
      // Below about 48 kbit/s AAC stereo turns to mush; one channel keeps speech clear.
      : ['-c:a', 'aac', '-b:a', `${Math.round(encoding.audioKbps)}k`, '-ac', encoding.audioKbps < 48 ? '1' : '2'];
  // Encoding on 2 shared cores runs near real time at 1080p; unknown length gets a fixed ceiling.
  const timeoutMs = Number.isFinite(durationMs) ? 120_000 + durationMs * 8 : 4 * 60 * 60_000;

  await writeMp4(
    outFile,
    [
      ...COMMON_FFMPEG_INPUT_ARGS,
      '-threads', threads,
      '-i', asFileUrl(file),
      ...(encoding.keepMs !== undefined ? ['-t', (encoding.keepMs / 1000).toFixed(3)] : []),
      '-map', `0:${details.videoStreamIndex}`,
      '-map', '0:a:0?',
      '-vf', `${fitFilter(encoding.longSide)},scale=trunc(iw/2)*2:trunc(ih/2)*2`,
      '-c:v', 'libx264', '-preset', 'veryfast', '-threads', threads,
      // ABR with a cap, so no stretch of the clip eats the budget of the rest.
      '-b:v', `${videoKbps}k`, '-maxrate', `${Math.round(videoKbps * 1.5)}k`, '-bufsize', `${videoKbps * 2}k`,
      '-pix_fmt', 'yuv420p', '-profile:v', 'high',
      ...audioArgs,
      '-map_metadata', '-1',
    ],
    { timeoutMs, what: 'sized copy' },
  );
}

// ——— probing ———

interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  pix_fmt?: string;
  width?: number;
  height?: number;
  duration?: string;
  tags?: Record<string, string>;
  disposition?: Record<string, number>;
  side_data_list?: Array<{ side_data_type?: string; rotation?: number }>;
}

interface FfprobeOutput {
  format?: { duration?: string; format_name?: string };
  streams?: FfprobeStream[];
}

interface ProbeDetails {
  summary: MediaProbe;
  videoStreamIndex?: number;
  /** The demuxer's name list, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  formatName?: string;
  videoPixelFormat?: string;
}

async function probe(file: string, known: { durationMs?: number } = {}): Promise<ProbeDetails> {
  let parsed: FfprobeOutput;
  try {
    const output = await run(
      ffprobePath,
      [
        '-v', 'error', '-protocol_whitelist', 'file', '-format_whitelist', ALLOWED_MEDIA_FORMATS,
        '-print_format', 'json', '-show_format', '-show_streams', asFileUrl(file),
      ],
      { timeoutMs: PROBE_TIMEOUT_MS, maxStdoutBytes: MAX_PROBE_OUTPUT_BYTES },
    );
    parsed = JSON.parse(output) as FfprobeOutput;
  } catch (error) {
    if (error instanceof ToolFailedError) throw new UnreadableMediaError(error.stderrTail || 'ffprobe failed', { cause: error });
    throw error;
  }

  const streams = parsed.streams ?? [];
  // Cover art in MP3/M4A files shows up as a one-frame video stream; it is not video.
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audio = streams.find((s) => s.codec_type === 'audio');
  const primary = video ?? audio;
  if (!primary) throw new UnreadableMediaError('no audio or video stream');

  const rotation = video ? rotationOf(video) : undefined;
  const sideways = rotation === 90 || rotation === 270;
  const durationMs =
    known.durationMs ??
    headerDurationMs(parsed, streams) ??
    // A recording whose length cannot be read is still evidence: no duration rather than no media.
    (await lastPacketEndMs(file, primary.index).catch(() => undefined));

  const summary: MediaProbe = {
    durationMs,
    width: sideways ? video?.height : video?.width,
    height: sideways ? video?.width : video?.height,
    videoCodec: video?.codec_name,
    audioCodec: audio?.codec_name,
    rotation: rotation || undefined,
  };
  return {
    summary: withoutUndefined(summary),
    videoStreamIndex: video?.index,
    formatName: parsed.format?.format_name,
    videoPixelFormat: video?.pix_fmt,
  };
}

function headerDurationMs(parsed: FfprobeOutput, streams: FfprobeStream[]): number | undefined {
  const candidates = [
    parsed.format?.duration,
    ...streams.map((s) => s.duration),
    // Matroska written by ffmpeg keeps per-track durations as tags ("00:00:02.008000000").
    ...streams.map((s) => s.tags?.DURATION ?? s.tags?.duration),
  ];
  for (const value of candidates) {
    const seconds = parseSeconds(value);
    if (seconds !== undefined && seconds > 0) return Math.round(seconds * 1000);
  }
  return undefined;
}

function parseSeconds(value: string | undefined): number | undefined {
  if (!value || value === 'N/A') return undefined;
  const clock = /^(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(value);
  const seconds = clock ? Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]) : Number(value);
  return Number.isFinite(seconds) ? seconds : undefined;
}

/**
 * Browsers' MediaRecorder writes WebM as a live stream: no duration, no cues. The only way to know its
 * length is the end of its last packet, so read every packet's timestamps — streamed line by line,
 * never held whole, since an hour of recording is hundreds of thousands of packets.
 */
async function lastPacketEndMs(file: string, streamIndex: number): Promise<number | undefined> {
  let firstStart = Infinity;
  let lastEnd = -Infinity;
  await run(
    ffprobePath,
    [
      '-v', 'error', '-protocol_whitelist', 'file', '-format_whitelist', ALLOWED_MEDIA_FORMATS,
      '-select_streams', String(streamIndex), '-show_entries', 'packet=pts_time,duration_time',
      '-of', 'csv=p=0', asFileUrl(file),
    ],
    {
      timeoutMs: PACKET_SCAN_TIMEOUT_MS,
      onStdoutLine: (line) => {
        const [pts, duration] = line.split(',').map(Number);
        if (!Number.isFinite(pts)) return;
        firstStart = Math.min(firstStart, pts);
        lastEnd = Math.max(lastEnd, pts + (Number.isFinite(duration) ? duration : 0));
      },
    },
  );
  if (!Number.isFinite(lastEnd)) return undefined;
  // Encoder priming can give the first packet a slightly negative time; the recording starts at 0.
  const seconds = lastEnd - Math.max(firstStart, 0);
  return seconds > 0 ? Math.round(seconds * 1000) : undefined;
}

function rotationOf(stream: FfprobeStream): number {
  // ffmpeg before 5 reported the legacy clockwise "rotate" tag; later versions give a display matrix
  // whose rotation is counter-clockwise, so it is negated to the same convention.
  const tag = stream.tags?.rotate;
  const matrix = stream.side_data_list?.find((d) => d.side_data_type === 'Display Matrix')?.rotation;
  const clockwise = tag !== undefined ? Number(tag) : matrix !== undefined ? -matrix : 0;
  if (!Number.isFinite(clockwise)) return 0;
  return (((Math.round(clockwise / 90) * 90) % 360) + 360) % 360;
}

// ——— running the binaries ———

class ToolFailedError extends Error {
  constructor(message: string, readonly stderrTail: string) {
    super(message);
  }
}

// The "file:" protocol makes a path that contains ':' or starts with '-' a plain path, never a URL or flag.
function asFileUrl(file: string): string {
  return `file:${file}`;
}

interface RunOptions {
  timeoutMs: number;
  /** Collect stdout up to this many bytes and resolve with it; more kills the process. */
  maxStdoutBytes?: number;
  /** Or hand stdout over line by line without keeping it. */
  onStdoutLine?: (line: string) => void;
}

const STDERR_TAIL_CHARS = 2000;

/** nice value for codec processes: a transcode must not slow an upload in progress. */
const BACKGROUND_PRIORITY = 10;

function run(binary: string, args: string[], { timeoutMs, maxStdoutBytes = 0, onStdoutLine }: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    // Background work: uploads and page requests on this machine come first.
    if (child.pid) {
      try {
        os.setPriority(child.pid, BACKGROUND_PRIORITY);
      } catch {
        // Not allowed here (some containers); it then runs at normal priority.
      }
    }
    const name = binary.split('/').pop();
    const chunks: Buffer[] = [];
    let stdoutBytes = 0;
    let partialLine = '';
    let stderrTail = '';
    let failure: string | undefined;

    const timer = setTimeout(() => {
      failure = `${name} timed out after ${timeoutMs} ms`;
      child.kill('SIGKILL');
    }, timeoutMs);

    child.stdout.on('data', (chunk: Buffer) => {
      if (onStdoutLine) {
        const lines = (partialLine + chunk.toString('utf8')).split('\n');
        partialLine = lines.pop() ?? '';
        for (const line of lines) onStdoutLine(line);
        return;
      }
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdoutBytes) {
        failure = `${name} wrote more than ${maxStdoutBytes} bytes`;
        child.kill('SIGKILL');
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(new Error(failure));
      if (code !== 0) return reject(new ToolFailedError(`${name} exited with ${code}: ${stderrTail.trim()}`, stderrTail.trim()));
      if (onStdoutLine && partialLine) onStdoutLine(partialLine);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

// ——— small file helpers ———

async function hasBytes(file: string): Promise<boolean> {
  const stat = await fs.stat(file).catch(() => undefined);
  return stat !== undefined && stat.size > 0;
}

// A poster is cheap to remake, but one renamed into place before its bytes reach the disk could be
// served empty after a power cut.

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
