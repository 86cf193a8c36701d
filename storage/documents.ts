// Checks that a PDF is whole before it is accepted: nothing here parses or renders one, so the check
// is structural, and cheap whatever the size (the first and last few KB are read, nothing between).
import fs from 'node:fs/promises';

// PDF readers look for the header in the first 1024 bytes and for %%EOF in the last 1024; a little
// more at the end tolerates the trailing padding some writers and mail gateways add.
const HEAD_BYTES = 1024;
const TAIL_BYTES = 2048;

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
export async function verifyPdfComplete(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await handle.read(head, 0, head.length, 0);
    if (!/%PDF-\d\.\d/.test(head.toString('latin1'))) throw new UnreadableDocumentError('no PDF header with a version');
    const tail = Buffer.alloc(Math.min(TAIL_BYTES, size));
    await handle.read(tail, 0, tail.length, size - tail.length);
    if (!tail.includes('%%EOF', 0, 'latin1')) throw new UnreadableDocumentError('no %%EOF at its end: the file was cut short');
  } finally {
    await handle.close();
  }
}
