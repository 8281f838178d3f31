import sharp from 'sharp'
import type { SeedImage } from './data.ts'

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c)

/** Renders a demo image (a gradient with a label) to PNG, so the repository ships no binaries. */
export async function renderSeedImage(image: SeedImage, width = 1600, height = 900): Promise<Buffer> {
  const [from, to] = image.colours
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/></linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <circle cx="${width * 0.8}" cy="${height * 0.25}" r="${height * 0.35}" fill="#ffffff" fill-opacity="0.08"/>
  <text x="80" y="${height - 100}" font-family="sans-serif" font-size="96" font-weight="700" fill="#ffffff">${escapeXml(image.label)}</text>
</svg>`
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer()
}
