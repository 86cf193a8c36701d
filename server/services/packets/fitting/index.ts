// Derived copies that fit a recipient's limits (types, sizes, pages, clip length), made from originals
// that are only ever read: one module per kind of copy.
export { fitPhoto, PhotoCannotFitError, type FitPhotoOptions, type FittedPhoto } from './fit-photo';
export { fitVideo, type FitVideoOptions, type FitVideoResult, type FittedVideo, type RefusedVideo, type VideoFormat } from './fit-video';
export { stillsSheet, formatOffset, StillsSheetCannotFitError, type StillsSheet, type StillsSheetOptions } from './stills-sheet';
export { evidencePdf, EvidencePdfCannotFitError, type EvidencePdf, type EvidencePdfInput } from './evidence-pdf';
