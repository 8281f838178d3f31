import { responsiveMedia } from '@lib/data/cms'
import type { CmsPost } from '@lib/data/content'
import { lexicalToHtml } from '@lib/lexical-html'

export default function PostTemplate({ post }: { post: CmsPost }) {
  const image = responsiveMedia(post.coverImage)
  return (
    <article className="prose">
      <h1>{post.title}</h1>
      {post.publishedAt && (
        <p className="muted">
          <time dateTime={post.publishedAt}>
            {new Date(post.publishedAt).toLocaleDateString('en-GB', { dateStyle: 'long' })}
          </time>
        </p>
      )}
      {image && (
        <img
          src={image.url}
          srcSet={image.srcSet}
          // The post column is at most 44rem wide (.prose).
          sizes={image.srcSet ? '(max-width: 44rem) 100vw, 44rem' : undefined}
          alt={image.alt}
          width={image.width ?? 1600}
          height={image.height ?? 900}
          fetchPriority="high"
        />
      )}
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: lexicalToHtml escapes every text and filters link targets */}
      <div dangerouslySetInnerHTML={{ __html: lexicalToHtml(post.content) }} />
    </article>
  )
}
