/**
 * Product images drawn locally (no stock photos, no network): a flat PNG in the product's colour with
 * its title, so a demo shop looks like a shop and every image is served by our own Medusa.
 */
import sharp from 'sharp'

export interface ProductImageData {
  title: string
  /** Small line under the title, e.g. the tenant's name. */
  caption: string
  /** Background colour, `#rrggbb`. */
  colour: string
}

const SIZE = 800

const escapeXml = (text: string) =>
  text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c)

/** Dark text on light colours and light text on dark ones (WCAG relative luminance). */
function textColour(hex: string): string {
  const channel = (i: number) => {
    const c = Number.parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  }
  const luminance = 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2)
  return luminance > 0.4 ? '#1f2328' : '#ffffff'
}

/** Splits a title into lines of at most ~16 characters, breaking between words. */
function lines(title: string): string[] {
  const result: string[] = []
  for (const word of title.split(/\s+/)) {
    const last = result.at(-1)
    if (last !== undefined && `${last} ${word}`.length <= 16) result[result.length - 1] = `${last} ${word}`
    else result.push(word)
  }
  return result
}

/** An 800×800 PNG showing the title on the colour. */
export async function renderProductImage({ title, caption, colour }: ProductImageData): Promise<Buffer> {
  const ink = textColour(colour)
  const titleLines = lines(title)
  const lineHeight = 76
  const top = SIZE / 2 - ((titleLines.length - 1) * lineHeight) / 2
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}">
  <rect width="100%" height="100%" fill="${colour}"/>
  <circle cx="${SIZE / 2}" cy="${SIZE / 2}" r="300" fill="none" stroke="${ink}" stroke-opacity="0.15" stroke-width="4"/>
  <g font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" fill="${ink}" text-anchor="middle">
    ${titleLines.map((line, i) => `<text x="${SIZE / 2}" y="${top + i * lineHeight}" font-size="64" font-weight="bold">${escapeXml(line)}</text>`).join('\n    ')}
    <text x="${SIZE / 2}" y="${SIZE - 64}" font-size="30" fill-opacity="0.75">${escapeXml(caption)}</text>
  </g>
</svg>`
  return sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer()
}
