// Reads PDFs the way a recipient's tools do: poppler's pdfinfo, pdftotext and pdffonts (Debian: poppler-utils).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { PassThrough } from 'node:stream';

export function requirePoppler(): void {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
  } catch {
    throw new Error('pdftotext/pdfinfo are missing: install poppler-utils (apt-get install -y poppler-utils)');
  }
}

export function pdfInfo(file: string): Record<string, string> {
  const output = execFileSync('pdfinfo', [file]).toString();
  return Object.fromEntries(output.split('\n').filter(Boolean).map((line) => {
    const at = line.indexOf(':');
    return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
  }));
}

/** The PDF's text with every run of whitespace made one space, so wrapped sentences read whole. */
export function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-']).toString().replace(/\s+/g, ' ');
}

/** pdffonts' rows: font name and whether it is embedded. */
export function pdfFonts(file: string): { name: string; embedded: boolean }[] {
  const lines = execFileSync('pdffonts', [file]).toString().split('\n').slice(2).filter(Boolean);
  return lines.map((line) => {
    const columns = line.trim().split(/\s+/);
    // name type... encoding emb sub uni object ID: "emb" is the fifth column from the end.
    return { name: columns[0], embedded: columns[columns.length - 5] === 'yes' };
  });
}

/** Renders into memory through a stream, as the bundle service does, then writes the file for the tools. */
export async function renderToFile(render: (destination: NodeJS.WritableStream) => Promise<unknown>, file: string): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  await render(sink);
  const pdf = Buffer.concat(chunks);
  fs.writeFileSync(file, pdf);
  return pdf;
}
