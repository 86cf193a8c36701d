// Decides what an upload is from its magic bytes, never from its name or declared type.
import { fileTypeFromBuffer } from 'file-type';
import type { MediaType } from '../server/domain/vocabulary';

/** Accepted formats: sniffed MIME type → the canonical MIME we store and the media type it is. */
const accepted: Record<string, { mime: string; type: MediaType }> = {
  'image/jpeg': { mime: 'image/jpeg', type: 'photo' },
  'image/png': { mime: 'image/png', type: 'photo' },
  'image/webp': { mime: 'image/webp', type: 'photo' },
  'image/heic': { mime: 'image/heic', type: 'photo' },
  'image/heif': { mime: 'image/heif', type: 'photo' },
  'video/mp4': { mime: 'video/mp4', type: 'video' },
  'video/quicktime': { mime: 'video/quicktime', type: 'video' },
  'video/webm': { mime: 'video/webm', type: 'video' },
  'video/3gpp': { mime: 'video/3gpp', type: 'video' },
  'audio/x-m4a': { mime: 'audio/mp4', type: 'audio' },
  'audio/mp4': { mime: 'audio/mp4', type: 'audio' },
  'audio/mpeg': { mime: 'audio/mpeg', type: 'audio' },
  'audio/ogg': { mime: 'audio/ogg', type: 'audio' },
  'audio/opus': { mime: 'audio/ogg', type: 'audio' },
  // What file-type names Ogg Opus (Firefox's recordings).
  'audio/ogg; codecs=opus': { mime: 'audio/ogg', type: 'audio' },
  'audio/wav': { mime: 'audio/wav', type: 'audio' },
  'audio/x-wav': { mime: 'audio/wav', type: 'audio' },
  'audio/webm': { mime: 'audio/webm', type: 'audio' },
  'application/pdf': { mime: 'application/pdf', type: 'document' },
};

/**
 * Sound-only files in a video container: phones save call and voice recordings as MP4 or 3GP with an
 * "isom", "mp42" or "3gp4" brand, which the magic bytes cannot tell from a video. Once probing finds
 * no picture, they are the audio they are.
 */
const soundOnly: Record<string, string> = {
  'video/mp4': 'audio/mp4',
  'video/quicktime': 'audio/mp4',
  'video/3gpp': 'audio/3gpp',
  'video/webm': 'audio/webm',
};

/** The type of a "video" that turned out to have no picture. */
export function asSoundOnly(sniffed: SniffedType): SniffedType {
  return { mime: soundOnly[sniffed.mime] ?? sniffed.mime, type: 'audio' };
}

export interface SniffedType {
  mime: string;
  type: MediaType;
}

export async function sniffMediaType(head: Buffer): Promise<SniffedType | undefined> {
  const found = await fileTypeFromBuffer(head);
  return found && accepted[found.mime];
}

/** The extension an original gets when downloaded. */
export function extensionFor(mime: string): string {
  const known: Record<string, string> = {
    'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/heic': 'heic', 'image/heif': 'heif',
    'video/mp4': 'mp4', 'video/quicktime': 'mov', 'video/webm': 'webm', 'video/3gpp': '3gp',
    'audio/mp4': 'm4a', 'audio/mpeg': 'mp3', 'audio/ogg': 'ogg', 'audio/wav': 'wav', 'audio/webm': 'weba', 'audio/3gpp': '3gp',
    'application/pdf': 'pdf',
  };
  return known[mime] ?? 'bin';
}
