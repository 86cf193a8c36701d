// Video and audio probing and poster frames, against the real files in tests/fixtures.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreadableMediaError, ffmpegPath, ffprobePath, probeMedia, writePosterFrame } from '../../storage/video';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const about = (ms: number, tolerance: number) => expect.toSatisfy((v: number) => Math.abs(v - ms) <= tolerance);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'packtrail-video-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('probeMedia', () => {
  it.each([
    ['clip.webm', 'vp8', 'opus'],
    ['clip.mp4', 'h264', 'aac'],
  ])('gives %s its duration, picture size and codecs', async (name, videoCodec, audioCodec) => {
    await expect(probeMedia(fixture(name))).resolves.toEqual({
      durationMs: about(2000, 250),
      width: 160,
      height: 120,
      videoCodec,
      audioCodec,
    });
  });

  it('finds the length of a browser-recorded WebM whose header has none', async () => {
    const header = JSON.parse(
      execFileSync(ffprobePath, ['-v', 'error', '-of', 'json', '-show_format', fixture('clip-recorder-style.webm')]).toString(),
    );
    expect(header.format.duration).toBeUndefined(); // the fixture really is missing it

    const probe = await probeMedia(fixture('clip-recorder-style.webm'));
    expect(probe.durationMs).toEqual(about(2000, 250));
  });

  it('reports a phone video held upright at its upright size', async () => {
    await expect(probeMedia(fixture('clip-rotated.mp4'))).resolves.toEqual({
      durationMs: about(2000, 250),
      width: 120,
      height: 160,
      videoCodec: 'h264',
      rotation: 90,
    });
  });

  it.each([
    ['sound.m4a', 'aac'],
    ['sound.mp3', 'mp3'],
    ['sound.ogg', 'opus'],
    ['sound.wav', 'pcm_s16le'],
  ])('gives the recording %s a duration and no picture size', async (name, audioCodec) => {
    await expect(probeMedia(fixture(name))).resolves.toEqual({ durationMs: about(1000, 150), audioCodec });
  });

  it.each(['not-an-image.jpg', 'document.pdf', 'photo.png'])('refuses %s as not audio or video', async (name) => {
    await expect(probeMedia(fixture(name))).rejects.toBeInstanceOf(UnreadableMediaError);
  });

  it('will not follow a playlist that points at other files', async () => {
    const playlist = path.join(dir, 'evil.m3u8');
    fs.writeFileSync(playlist, '#EXTM3U\n#EXTINF:10.0,\nfile:///etc/passwd\n#EXT-X-ENDLIST\n');
    await expect(probeMedia(playlist)).rejects.toBeInstanceOf(UnreadableMediaError);
  });
});

describe('writePosterFrame', () => {
  it.each(['clip.webm', 'clip-recorder-style.webm', 'clip.mp4'])('writes a JPEG poster of %s, never enlarged', async (name) => {
    const poster = path.join(dir, `${name}.jpg`);
    await expect(writePosterFrame(fixture(name), poster)).resolves.toEqual({ width: 160, height: 120 });
    expect(fs.readFileSync(poster).subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  });

  it('keeps the poster within the long side asked for', async () => {
    await expect(writePosterFrame(fixture('clip.mp4'), path.join(dir, 'small.jpg'), { longSide: 80 })).resolves.toEqual({
      width: 80,
      height: 60,
    });
  });

  it('turns a sideways-stored phone video upright in its poster', async () => {
    const poster = path.join(dir, 'rotated.jpg');
    await expect(writePosterFrame(fixture('clip-rotated.mp4'), poster)).resolves.toEqual({ width: 120, height: 160 });
    // Stored with a red band along the top; turned 90° clockwise it runs down the right edge.
    const rgb = execFileSync(ffmpegPath, ['-v', 'error', '-i', poster, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const red = (x: number, y: number) => rgb[(y * 120 + x) * 3] > 180 && rgb[(y * 120 + x) * 3 + 2] < 80;
    expect(red(115, 80)).toBe(true);
    expect(red(5, 80)).toBe(false);
  });

  it('falls back to the first frame when asked for a moment past the end', async () => {
    await expect(writePosterFrame(fixture('clip.webm'), path.join(dir, 'late.jpg'), { atMs: 60_000 })).resolves.toEqual({
      width: 160,
      height: 120,
    });
  });

  it('refuses a sound recording, leaving no file behind', async () => {
    const outDir = fs.mkdtempSync(path.join(dir, 'audio-'));
    await expect(writePosterFrame(fixture('sound.m4a'), path.join(outDir, 'poster.jpg'))).rejects.toBeInstanceOf(UnreadableMediaError);
    expect(fs.readdirSync(outDir)).toEqual([]);
  });

  it('writes only the poster into the output folder, no temporary files', async () => {
    const outDir = fs.mkdtempSync(path.join(dir, 'clean-'));
    await writePosterFrame(fixture('clip.mp4'), path.join(outDir, 'poster.jpg'));
    expect(fs.readdirSync(outDir)).toEqual(['poster.jpg']);
  });
});
