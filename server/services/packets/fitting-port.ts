// The fitting functions a packet is built with (services/packets/fitting). Packets take them as a
// dependency, so the builder names no codec; their signatures are the fitting module's own.
import type * as fitting from './fitting';

export type Fitting = Pick<typeof fitting, 'fitPhoto' | 'fitVideo' | 'stillsSheet' | 'evidencePdf'>;
