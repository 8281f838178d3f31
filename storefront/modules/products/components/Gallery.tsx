/** Product images with fixed dimensions (no layout shift); the first loads eagerly as the page's hero. */
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
      <img src={first.url} alt={first.alt || title} width={800} height={800} fetchPriority="high" />
      {rest.length > 0 && (
        <div className="gallery-thumbs">
          {rest.map((image) => (
            <img
              key={image.id}
              src={image.url}
              alt={image.alt || title}
              width={200}
              height={200}
              loading="lazy"
              decoding="async"
            />
          ))}
        </div>
      )}
    </div>
  )
}
