// Barcodes to show the packer app's scanner: Code 128 and EAN-13 drawn from their specifications,
// QR codes from the qrcode package, as module grids (true = dark) or as a camera file Chromium plays.
import fs from 'node:fs';
import QRCode from 'qrcode';

/** Bar/space widths of Code 128 symbols 0–106 (106 is the stop pattern, with its final bar). */
const CODE128 = (
  '212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 112232 122132 122231 113222 ' +
  '123122 123221 223211 221132 221231 213212 223112 312131 311222 321122 321221 312212 322112 322211 212123 212321 ' +
  '232121 111323 131123 131321 112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 ' +
  '313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 314111 221411 431111 111224 ' +
  '111422 121124 121421 141122 141221 112214 112412 122114 122411 142112 142211 241211 221114 413111 241112 134111 ' +
  '111242 121142 121241 114212 124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 ' +
  '114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112'
).split(' ');

function widthsToModules(widths: string): boolean[] {
  const modules: boolean[] = [];
  [...widths].forEach((width, i) => modules.push(...Array<boolean>(Number(width)).fill(i % 2 === 0)));
  return modules;
}

/** Code 128, code set B (printable ASCII), with its checksum and 10-module quiet zones. */
export function code128(text: string): boolean[] {
  const data = [...text].map((char) => char.charCodeAt(0) - 32);
  if (data.some((value) => value < 0 || value > 94)) throw new Error('code set B takes printable ASCII only');
  const values = [104, ...data];
  const checksum = values.reduce((sum, value, i) => sum + value * Math.max(i, 1), 0) % 103;
  const quiet = Array<boolean>(10).fill(false);
  return [...quiet, ...[...values, checksum, 106].flatMap((value) => widthsToModules(CODE128[value])), ...quiet];
}

const EAN_L = ['3211', '2221', '2122', '1411', '1132', '1231', '1114', '1312', '1213', '3112'];
const EAN_G = EAN_L.map((widths) => [...widths].reverse().join(''));
const EAN_PARITY = ['LLLLLL', 'LLGLGG', 'LLGGLG', 'LLGGGL', 'LGLLGG', 'LGGLLG', 'LGGGLL', 'LGLGLG', 'LGLGGL', 'LGGLGL'];

/** EAN-13 from 12 digits (the check digit is added), with quiet zones. */
export function ean13(twelveDigits: string): { digits: string; modules: boolean[] } {
  const digits = twelveDigits.split('').map(Number);
  const check = (10 - (digits.reduce((sum, digit, i) => sum + digit * (i % 2 ? 3 : 1), 0) % 10)) % 10;
  digits.push(check);
  const spaceFirst = (widths: string) => [...widths].flatMap((width, i) => Array<boolean>(Number(width)).fill(i % 2 === 1));
  const barFirst = (widths: string) => [...widths].flatMap((width, i) => Array<boolean>(Number(width)).fill(i % 2 === 0));
  const parity = EAN_PARITY[digits[0]];
  const left = digits.slice(1, 7).flatMap((digit, i) => spaceFirst(parity[i] === 'L' ? EAN_L[digit] : EAN_G[digit]));
  const right = digits.slice(7).flatMap((digit) => barFirst(EAN_L[digit]));
  const quiet = Array<boolean>(11).fill(false);
  const guard = [true, false, true];
  const middle = [false, true, false, true, false];
  return { digits: digits.join(''), modules: [...quiet, ...guard, ...left, ...middle, ...right, ...guard, ...quiet] };
}

/** A QR code's module grid with a 4-module quiet zone. */
export function qrGrid(text: string): boolean[][] {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const size = modules.size;
  const quiet = 4;
  return Array.from({ length: size + quiet * 2 }, (_, y) =>
    Array.from({ length: size + quiet * 2 }, (_, x) => {
      const inside = x >= quiet && y >= quiet && x < size + quiet && y < size + quiet;
      return inside && Boolean(modules.get(y - quiet, x - quiet));
    }),
  );
}

/**
 * A Y4M file (what Chromium's --use-file-for-fake-video-capture plays, looping) of a white frame
 * with a 1D barcode in the middle, for a fake camera pointed at a waybill.
 */
export function writeBarcodeVideo(file: string, modules: boolean[], { width = 640, height = 480, moduleWidth = 3, barHeight = 220, frames = 5 } = {}) {
  const luma = Buffer.alloc(width * height, 235);
  const left = Math.floor((width - modules.length * moduleWidth) / 2);
  const top = Math.floor((height - barHeight) / 2);
  if (left < 0) throw new Error('barcode wider than the frame');
  for (let y = top; y < top + barHeight; y++) {
    modules.forEach((dark, i) => {
      if (dark) luma.fill(16, y * width + left + i * moduleWidth, y * width + left + (i + 1) * moduleWidth);
    });
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  fs.writeFileSync(file, Buffer.concat([header, ...Array<Buffer>(frames).fill(frame)]));
}
