// Renders the packer app's home-screen icons (PNG, which phones need) from its SVG icon.
// A development step whose output is committed; run it again only after changing icon.svg:
//   npx tsx scripts/make-pack-icons.ts
import path from 'node:path';
import sharp from 'sharp';

const iconDir = path.join(import.meta.dirname, '..', 'server', 'web', 'pack', 'icons');
const svg = path.join(iconDir, 'icon.svg');

for (const size of [192, 512]) {
  await sharp(svg, { density: 300 }).resize(size, size).png({ compressionLevel: 9 }).toFile(path.join(iconDir, `icon-${size}.png`));
}
// Maskable icons are cropped to a circle by some launchers: the artwork keeps to the middle 80 %.
const inner = await sharp(svg, { density: 300 }).resize(410, 410).png().toBuffer();
await sharp({ create: { width: 512, height: 512, channels: 4, background: '#101214' } })
  .composite([{ input: inner, gravity: 'center' }])
  .png({ compressionLevel: 9 })
  .toFile(path.join(iconDir, 'icon-maskable-512.png'));
console.log(`icons written to ${iconDir}`);
