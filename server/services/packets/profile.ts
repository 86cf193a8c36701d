// What a recipient profile declares (one module per recipient under recipients/, one registry): the files
// it takes, its limits, whether a link may go along, its field names and how they are filled, its
// deadline rule and when it is suggested. The planner and builder read profiles; nothing else does.
import type { ClaimPhotoKind, PacketRecipient } from '../../domain/vocabulary';
import type { PacketFacts } from './facts';
import type { Narrative } from './narrative';

export type PhotoFormat = 'jpeg' | 'png' | 'gif';
export type VideoFormat = 'mp4' | 'avi' | 'wmv';

/** Each limit as the recipient publishes it; absent when it has none we know of. */
export interface PacketLimits {
  maxFileBytes?: number;
  /** Photos may have a smaller limit of their own (Shopee). */
  maxPhotoBytes?: number;
  /** Videos may have a limit of their own (Shopee, Coupang). */
  maxVideoBytes?: number;
  maxTotalBytes?: number;
  maxFiles?: number;
  /** Pages of all PDF files together (card networks count them across the submission). */
  maxPages?: number;
  maxVideoSeconds?: number;
  /** Every text field together. */
  maxTextCharacters?: number;
}

/** A file the packet carries, as far as the recipient's own fields name it. */
export interface FieldFile {
  path: string;
  kind: 'evidencePdf' | 'label' | 'photo' | 'stills' | 'video';
  evidence?: number;
}

/** What a profile fills its fields from: the facts, the narrative in the chosen language, the files. */
export interface FieldsInput {
  facts: PacketFacts;
  narrative: Narrative;
  files: FieldFile[];
  shareLink?: { url: string; expiresAt: string };
}

export type DeadlineRule = 'respond_by' | 'amazon' | 'coupang' | 'courier';

export interface RecipientProfile {
  recipient: PacketRecipient;
  /** What it takes: photo formats, video formats, PDF documents. An empty list takes none of that kind. */
  accepts: { photos: PhotoFormat[]; videos: VideoFormat[]; pdf: boolean };
  limits: PacketLimits;
  /**
   * Photos go in one evidence PDF instead of as files of their own (Stripe and Shopify take one file per
   * field); a label close-up still goes on its own as the shipping documentation.
   */
  photosInPdf: boolean;
  /** At most this many videos (Coupang and Shopee want the one unboxing video). */
  maxVideos: number;
  /** The video must stay one continuous, unedited recording: never trimmed, refused instead. */
  continuousVideo: boolean;
  /** Whether its forms take a link to the full originals. */
  allowsLink: boolean;
  /** The photos (by courier tag) whose absence the checklist names. */
  wantedPhotos: ClaimPhotoKind[];
  deadlineRule: DeadlineRule;
  suggested(facts: PacketFacts): boolean;
  /**
   * Built by the courier-claim code (bundle.service exportClaimPacket: the claim letter, the originals
   * unchanged, the verification kit), with packet.json and checklist.txt added, instead of being fitted.
   */
  claimPacket?: true;
  /** packet.json's `fields`, under the recipient's own names. */
  fields(input: FieldsInput): Record<string, unknown>;
  /** The fields whose text counts against `maxTextCharacters`, read back from `fields`. */
  textOf(fields: Record<string, unknown>): string[];
}

/** Sizes written as the recipients write them: 1 MB here is 1,000,000 bytes unless they say MiB. */
export const MB = 1_000_000;
