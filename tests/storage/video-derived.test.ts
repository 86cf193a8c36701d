// Stills sheets and playback copies made from the real fixture videos (and one longer clip made here).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreadableMediaError, extractStills, ffmpegPath, ffprobePath, makePlaybackCopy } from '../../storage/video';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

interface Probed {
  streams: { codec_type: string; codec_name: string; width?: number; height?: number; pix_fmt?: string }[];
  format: { duration?: string; format_name: string };
}
const probe = (file: string): Probed =>
  JSON.parse(execFileSync(ffprobePath, ['-v', 'error', '-of', 'json', '-show_format', '-show_streams', file]).toString());

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-video-derived-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('extractStills', () => {
  it.each(['clip.webm', 'clip.mp4', 'clip-recorder-style.webm'])('takes upright stills from %s, labelled by their time', async (name) => {
    const out = path.join(dir, `stills-${name}`);
    const stills = await extractStills(fixture(name), out);
    // A 2-second clip gets a still a second rather than a single one at 00:00.
    expect(stills.map((still) => still.offsetMs)).toEqual([0, 1000]);
    for (const still of stills) {
      const [stream] = probe(still.path).streams;
      expect(stream).toMatchObject({ codec_name: 'mjpeg', width: 160, height: 120 });
    }
    // Only the finished stills remain: no temporary folder or half-written file.
    expect(fs.readdirSync(out).sort()).toEqual(['still-000000000.jpg', 'still-000001000.jpg']);
  });

  it('turns a phone video held upright the right way up', async () => {
    const [still] = await extractStills(fixture('clip-rotated.mp4'), path.join(dir, 'stills-rotated'));
    expect(probe(still.path).streams[0]).toMatchObject({ width: 120, height: 160 });
  });

  it('spreads at most `max` stills over a long recording, seeking in indexed files', async () => {
    const long = path.join(dir, 'long.mp4');
    execFileSync(ffmpegPath, [
      '-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10', '-t', '75',
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '20', '-pix_fmt', 'yuv420p', long,
    ]);
    const stills = await extractStills(long, path.join(dir, 'stills-long'), { everyMs: 5000, max: 6, longSide: 80 });
    expect(stills.map((still) => still.offsetMs)).toEqual([0, 13000, 26000, 39000, 52000, 65000]);
    expect(probe(stills[0].path).streams[0]).toMatchObject({ width: 80, height: 60 });

    const webm = path.join(dir, 'long.webm');
    execFileSync(ffmpegPath, ['-v', 'error', '-i', long, '-t', '20', '-c:v', 'libvpx', '-deadline', 'realtime', '-b:v', '200k', '-f', 'webm', webm]);
    const fromOnePass = await extractStills(webm, path.join(dir, 'stills-long-webm'), { everyMs: 5000 });
    expect(fromOnePass.map((still) => still.offsetMs)).toEqual([0, 5000, 10000, 15000]);
  });

  it('refuses a file that is not a video', async () => {
    await expect(extractStills(fixture('sound.m4a'), path.join(dir, 'stills-sound'))).rejects.toBeInstanceOf(UnreadableMediaError);
    await expect(extractStills(fixture('not-an-image.jpg'), path.join(dir, 'stills-elf'))).rejects.toBeInstanceOf(UnreadableMediaError);
  });
});

describe('makePlaybackCopy', () => {
  it.each([
    ['clip.mp4', true, true],
    ['clip.webm', false, true],
    ['clip-recorder-style.webm', false, true],
    ['clip-rotated.mp4', true, false],
  ] as const)('makes a seekable H.264 MP4 of %s (copied: %s)', async (name, remuxed, hasAudio) => {
    const before = sha256(fixture(name));
    const out = path.join(dir, `${name}.playback.mp4`);
    await expect(makePlaybackCopy(fixture(name), out)).resolves.toEqual({ remuxed });

    const probed = probe(out);
    expect(probed.format.format_name).toContain('mp4');
    expect(Number(probed.format.duration)).toBeGreaterThan(1.8);
    expect(Number(probed.format.duration)).toBeLessThan(2.3);
    const video = probed.streams.find((stream) => stream.codec_type === 'video');
    expect(video).toMatchObject({ codec_name: 'h264', pix_fmt: 'yuv420p' });
    const audio = probed.streams.find((stream) => stream.codec_type === 'audio');
    if (hasAudio) expect(audio?.codec_name).toBe('aac');
    else expect(audio).toBeUndefined();

    // "faststart": the index comes before the media data, so a browser can seek before downloading it all.
    const bytes = fs.readFileSync(out);
    expect(bytes.indexOf('moov')).toBeGreaterThan(0);
    expect(bytes.indexOf('moov')).toBeLessThan(bytes.indexOf('mdat'));
    // The original is untouched, and nothing is left beside the copy.
    expect(sha256(fixture(name))).toBe(before);
    expect(fs.readdirSync(dir).filter((file) => file.startsWith(name) && file.endsWith('.tmp'))).toEqual([]);
  });

  it('leaves nothing behind when the input is not a video', async () => {
    const out = path.join(dir, 'not-a-video.mp4');
    await expect(makePlaybackCopy(fixture('document.pdf'), out)).rejects.toBeInstanceOf(UnreadableMediaError);
    expect(fs.readdirSync(dir).filter((file) => file.startsWith('not-a-video'))).toEqual([]);
  });
});
