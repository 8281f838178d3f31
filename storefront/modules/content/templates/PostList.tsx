import { mediaRef } from '@lib/data/cms'
import type { CmsPost } from '@lib/data/content'
import Link from 'next/link'

export default function PostList({ posts }: { posts: CmsPost[] }) {
  return (
    <>
      <h1>Blog</h1>
      {posts.length === 0 && <p className="muted">No posts yet.</p>}
      <ul className="grid">
        {posts.map((post) => {
          const image = mediaRef(post.coverImage, 'card')
          return (
            <li key={post.id}>
              <Link href={`/blog/${post.slug}`} className="card">
                {image && (
                  <img
                    src={image.url}
                    alt=""
                    width={768}
                    height={512}
                    loading="lazy"
                    decoding="async"
                    style={{ aspectRatio: '3/2' }}
                  />
                )}
                <div className="card-body">
                  <h2 style={{ fontSize: '1.1rem', margin: '0 0 .3rem' }}>{post.title}</h2>
                  {post.excerpt && (
                    <p className="muted" style={{ margin: 0 }}>
                      {post.excerpt}
                    </p>
                  )}
                </div>
              </Link>
            </li>
          )
        })}
      </ul>
    </>
  )
}
