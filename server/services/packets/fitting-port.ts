// The fitting functions a packet is built with (services/packets/fitting, the "fitting" part's), by the
// signatures of the shared contract. Packets take them as a dependency, so the builder names no codec.
import type { Language } from '../../domain/vocabulary';

export interface Fitting {
  fitPhoto(
    input: string,
    options: { formats: ('jpeg' | 'png' | 'gif')[]; maxBytes: number; maxPixels?: number; outDir: string; name?: string },
  ): Promise<{ file: string; bytes: number; mime: string; width: number; height: number }>;
  fitVideo(
    input: string,
    options: { formats: ('mp4' | 'avi' | 'wmv')[]; maxBytes: number; maxSeconds?: number; continuous: boolean; outDir: string; name?: string },
  ): Promise<
    | { file: string; bytes: number; seconds: number; trimmed: boolean }
    | { refused: 'TOO_LONG_FOR_LIMIT' | 'CANNOT_FIT_SIZE'; seconds: number; neededBytes: number }
  >;
  stillsSheet(
    stills: { file: string; offsetMs: number }[],
    options: { caption: string; maxBytes: number; outDir: string; name?: string; language?: Language },
  ): Promise<{ file: string; bytes: number }>;
  evidencePdf(input: {
    language: Language;
    title: string;
    narrative: string[];
    facts: { label: string; value: string }[];
    images: { file: string; caption: string }[];
    maxPages: number;
    maxBytes: number;
    outDir: string;
    name?: string;
  }): Promise<{ file: string; bytes: number; pages: number; picturesLeftOut?: number }>;
}
