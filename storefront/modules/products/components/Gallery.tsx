import { getImageProps } from 'next/image'

/**
 * Product images (plain <img> from getImageProps: no client component to hydrate), resized by Next's image optimizer from Medusa's files (WebP/AVIF at the width the
 * screen needs), in fixed boxes (no layout shift); the first is preloaded as the page's largest paint.
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
          sizes: '(max-width: 800px) 100vw, 560px',
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
              {...getImageProps({ src: image.url, alt: image.alt || title, width: 200, height: 200, sizes: '120px' })
                .props}
              alt={image.alt || title}
            />
          ))}
        </div>
      )}
    </div>
  )
}
