// Whole, well-formed PDF files of an exact size, unique and cheap to make, for tests that move many
// bytes: a one-page document plus an unreferenced stream of random filler. Any PDF reader opens them,
// so a check on whether a document is readable never mistakes them for truncated uploads.
import { randomBytes, randomUUID } from 'node:crypto';

/** Numbers in the structure are zero-padded to this width, so the overhead does not depend on the size. */
const WIDTH = 10;
const pad = (value: number) => String(value).padStart(WIDTH, '0');

function layout(fillerBytes: number) {
  const head = `%PDF-1.4\n%${randomUUID()}\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << >> >>',
    '<< /Length 0 >>\nstream\n\nendstream',
  ].map((body, i) => `${i + 1} 0 obj\n${body}\nendobj\n`);
  const fillerOpen = `5 0 obj\n<< /Length ${pad(fillerBytes)} >>\nstream\n`;
  const fillerClose = '\nendstream\nendobj\n';
  return { head, objects, fillerOpen, fillerClose };
}

/** The fixed part of every document made here, in bytes; the smallest size `pdfDocument` accepts. */
export const PDF_OVERHEAD = (() => {
  const { head, objects, fillerOpen, fillerClose } = layout(0);
  const xref = 'xref\n0 6\n' + '0000000000 65535 f \n'.repeat(6);
  const trailer = `trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${pad(0)}\n%%EOF\n`;
  return Buffer.byteLength(head + objects.join('') + fillerOpen + fillerClose + xref + trailer);
})();

/** A readable PDF of exactly `size` bytes, unique (so content addressing never merges two of them). */
export function pdfDocument(size: number): Buffer {
  const fillerBytes = size - PDF_OVERHEAD;
  if (fillerBytes < 0) throw new Error(`a PDF made here needs at least ${PDF_OVERHEAD} bytes`);
  const { head, objects, fillerOpen, fillerClose } = layout(fillerBytes);
  const parts: Buffer[] = [Buffer.from(head)];
  const offsets: number[] = [];
  let at = parts[0].length;
  const add = (part: Buffer) => {
    parts.push(part);
    at += part.length;
  };
  for (const object of objects) {
    offsets.push(at);
    add(Buffer.from(object));
  }
  offsets.push(at);
  add(Buffer.from(fillerOpen));
  add(randomBytes(fillerBytes));
  add(Buffer.from(fillerClose));
  const xrefAt = at;
  const entries = offsets.map((offset) => `${pad(offset)} 00000 n \n`).join('');
  add(Buffer.from(`xref\n0 6\n0000000000 65535 f \n${entries}trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n${pad(xrefAt)}\n%%EOF\n`));
  const document = Buffer.concat(parts);
  if (document.length !== size) throw new Error(`made ${document.length} bytes instead of ${size}`);
  return document;
}

/** Slices of `bytes`, `chunkSize` at a time, as a streaming client would send them. */
export function* chunksOf(bytes: Buffer, chunkSize = 64 * 1024): Generator<Buffer> {
  for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.subarray(offset, offset + chunkSize);
}
