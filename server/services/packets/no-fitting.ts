// Until the fitting functions are wired (services/packets/fitting): every derived copy is refused, so a
// packet carries the originals that already fit and names the rest as missing. Removed once merged.
import type { Fitting } from './fitting-port';

const unavailable = async (): Promise<never> => {
  throw new Error('derived copies are not available in this build');
};

export const noFitting: Fitting = { fitPhoto: unavailable, fitVideo: unavailable, stillsSheet: unavailable, evidencePdf: unavailable };
