// Courier photo tags: which of the photos couriers ask for (claimPhotoKinds) a photo shows. One tap in
// the packer app when the photo is taken, or changed later; a claim's photo checklist counts nothing
// else (services/claims/claim-photos.ts). Only photos carry them: couriers ask for photos, and a tag
// on a video would count for nothing.
import { claimPhotoKinds, type ClaimPhotoKind, type MediaType } from '../domain/vocabulary';
import { fail } from '../errors';

const known = new Set<string>(claimPhotoKinds);

/**
 * Codes as the API takes them, each once, in the vocabulary's order (so "a,b" and "b,a" are the same
 * request); an unknown code is refused, naming it and the ones there are.
 */
export function normalizeTags(codes: readonly string[]): ClaimPhotoKind[] {
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    fail('VALIDATION_FAILED', `Unknown photo tag ${unknown.map((code) => `"${code.slice(0, 40)}"`).join(', ')}; tags are ${claimPhotoKinds.join(', ')}.`);
  }
  return claimPhotoKinds.filter((kind) => codes.includes(kind));
}

/** A multipart field's or tus Upload-Metadata's "label_closeup,damage" (spaces allowed; empty means none). */
export function parseTagList(text: string): ClaimPhotoKind[] {
  return normalizeTags(text.split(',').map((code) => code.trim()).filter(Boolean));
}

/** The tags a file of this type keeps: a photo its own, anything else none (see the module comment). */
export const tagsFor = (type: MediaType, tags: readonly ClaimPhotoKind[] | undefined): ClaimPhotoKind[] => (type === 'photo' ? [...(tags ?? [])] : []);

/** The stored JSON array, read back (a row from before migration 016 holds "[]"). */
export function readStoredTags(json: string | null | undefined): ClaimPhotoKind[] {
  if (!json) return [];
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? claimPhotoKinds.filter((kind) => parsed.includes(kind)) : [];
}
