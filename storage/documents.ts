// Checks that a PDF is whole before it is accepted: nothing here parses or renders one, so the check
// is structural, and cheap whatever the size (the first and last few KB are read, nothing between).

// PDF readers look for the header in the first 1024 bytes and for %%EOF in the last 1024; a little
// more at the end tolerates the trailing padding some writers and mail gateways add.
const HEAD_BYTES = 1024;
/** How many of a PDF's last bytes verifyPdfEnds needs. */
export const PDF_TAIL_BYTES = 2048;

/** The file is not a whole PDF: cut short, or only its magic bytes. */
export class UnreadableDocumentError extends Error {
  constructor(reason: string) {
    super(`not a readable PDF: ${reason}`);
  }
}

/**
 * A PDF is written front to back and each revision ends with %%EOF, so a file cut short in transfer
 * (or a bare "%PDF") has none at its end; one cut just after an earlier revision's %%EOF is that
 * revision, whole. Throws UnreadableDocumentError.
 */
export function verifyPdfEnds(head: Buffer, tail: Buffer): void {
  if (!/%PDF-\d\.\d/.test(head.subarray(0, HEAD_BYTES).toString('latin1'))) throw new UnreadableDocumentError('no PDF header with a version');
  if (!tail.subarray(-PDF_TAIL_BYTES).includes('%%EOF', 0, 'latin1')) throw new UnreadableDocumentError('no %%EOF at its end: the file was cut short');
}
