import { getImageProps } from 'next/image'

/**
 * Product images (plain <img> from getImageProps: no client component to hydrate), resized by Next's
 * image optimizer from Medusa's files (AVIF/WebP at the width the screen needs), in fixed boxes (no
 * layout shift); the first is preloaded as the page's largest paint (React hoists a preload for an
 * image with fetchPriority high), sized for the column it fills: the screen less padding on a phone.
 */
export default function Gallery({
  images,
  title,
}: {
  images: { id: string; url: string; alt: string }[]
  title: string
}) {
  const [first, ...rest] = images
  if (!first) return <div className="gallery" style={{ aspectRatio: '1/1', background: 'var(--soft)' }} />
  return (
    <div className="gallery">
      <img
        {...getImageProps({
          src: first.url,
          alt: first.alt || title,
          width: 800,
          height: 800,
          sizes: '(max-width: 48rem) calc(100vw - 2rem), 560px',
          fetchPriority: 'high',
          loading: 'eager',
        }).props}
        alt={first.alt || title}
      />
      {rest.length > 0 && (
        <div className="gallery-thumbs">
          {rest.map((image) => (
            <img
              key={image.id}
              // Lazy: not preloaded, so they never compete with the main image for a phone's bandwidth.
              {...getImageProps({ src: image.url, alt: image.alt || title, width: 128, height: 128, loading: 'lazy' })
                .props}
              alt={image.alt || title}
            />
          ))}
        </div>
      )}
    </div>
  )
}
