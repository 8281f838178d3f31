import { responsiveMedia } from '@lib/data/cms'
import type { CmsBlock } from '@lib/data/content'
import type { ShopContext } from '@lib/data/context'
import { featuredBlockSchema } from '@lib/data/products'
import type { Region } from '@lib/data/regions'
import { lexicalToHtml } from '@lib/lexical-html'
import HydrateLater from '@modules/layout/components/HydrateLater'
import FeaturedProducts from '@modules/products/components/FeaturedProducts'
import Link from 'next/link'

interface LinkValue {
  label?: string | null
  url?: string | null
}

function CmsLink({ link, className }: { link?: LinkValue | null; className?: string }) {
  if (!link?.url || !link.label) return null
  return link.url.startsWith('/') ? (
    <Link href={link.url} className={className} prefetch={false}>
      {link.label}
    </Link>
  ) : (
    <a href={link.url} className={className}>
      {link.label}
    </a>
  )
}

/** Wide images span the page's main column (72rem at most, globals.css). */
export const WIDE_SIZES = '(max-width: 72rem) 100vw, 72rem'

/**
 * A Payload page's layout, block by block; unknown block types are skipped, and so are product blocks
 * on a tenant without a shop.
 */
export default function Blocks({
  blocks,
  headingLevel = 1,
  shop,
}: {
  blocks: CmsBlock[]
  headingLevel?: 1 | 2
  shop?: (ShopContext & { region: Region }) | null
}) {
  return (
    <>
      {blocks.map((block, index) => {
        const key = block.id ?? `${block.blockType}-${index}`
        const b = block as Record<string, unknown>
        // Blocks with their data at hand hydrate after the shell, in slices; a featured-products block
        // loads its products first (its grid does the same, see ProductGrid).
        const content = renderBlock()
        return content && block.blockType !== 'featuredProducts' ? (
          <HydrateLater key={key}>{content}</HydrateLater>
        ) : (
          content
        )
        function renderBlock() {
          switch (block.blockType) {
            case 'hero': {
              const image = responsiveMedia(b.image)
              const Heading = index === 0 && headingLevel === 1 ? 'h1' : 'h2'
              // The first block's image is the page's largest paint: fetched first (React preloads it from
              // <head>, srcSet and sizes included); a later hero waits until it scrolls near.
              return (
                <section key={key} className="hero" data-testid="hero">
                  {image && (
                    <img
                      src={image.url}
                      srcSet={image.srcSet}
                      sizes={image.srcSet ? WIDE_SIZES : undefined}
                      alt=""
                      width={image.width ?? 1600}
                      height={image.height ?? 600}
                      {...(index === 0 ? { fetchPriority: 'high' as const } : { loading: 'lazy' as const })}
                      decoding="async"
                    />
                  )}
                  <div className="hero-body">
                    <Heading>{String(b.heading ?? '')}</Heading>
                    {typeof b.subheading === 'string' && <p>{b.subheading}</p>}
                    <CmsLink link={b.cta as LinkValue} className="btn" />
                  </div>
                </section>
              )
            }
            case 'richText':
              // biome-ignore lint/security/noDangerouslySetInnerHtml: lexicalToHtml escapes every text and filters link targets
              return <div key={key} className="prose" dangerouslySetInnerHTML={{ __html: lexicalToHtml(b.content) }} />
            case 'media': {
              const image = responsiveMedia(b.media)
              if (!image) return null
              return (
                <figure key={key} style={{ margin: '2rem 0' }}>
                  <img
                    src={image.url}
                    srcSet={image.srcSet}
                    sizes={image.srcSet ? WIDE_SIZES : undefined}
                    alt={image.alt}
                    width={image.width ?? 1600}
                    height={image.height ?? 900}
                    loading="lazy"
                    decoding="async"
                  />
                  {typeof b.caption === 'string' && <figcaption className="muted">{b.caption}</figcaption>}
                </figure>
              )
            }
            case 'callToAction':
              return (
                <section key={key} className="cta">
                  <h2 style={{ marginTop: 0 }}>{String(b.heading ?? '')}</h2>
                  {typeof b.text === 'string' && <p>{b.text}</p>}
                  <div style={{ display: 'flex', gap: '.75rem', flexWrap: 'wrap' }}>
                    {((b.links as LinkValue[] | undefined) ?? []).map((link, i) => (
                      <CmsLink key={link.url ?? i} link={link} className={i === 0 ? 'btn' : 'btn btn-secondary'} />
                    ))}
                  </div>
                </section>
              )
            case 'featuredProducts': {
              const featured = featuredBlockSchema.safeParse(block)
              return shop && featured.success ? (
                <FeaturedProducts
                  key={key}
                  id={`featured-${index}`}
                  block={featured.data}
                  shop={shop}
                  first={index === 0}
                />
              ) : null
            }
            default:
              return null
          }
        }
      })}
    </>
  )
}
