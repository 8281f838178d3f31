/** Limits of the CMS's SEO and excerpt fields (repeated here: the pack does not import the CMS). */
export const META_TITLE_MAX = 60
export const META_DESCRIPTION_MAX = 155
export const EXCERPT_MAX = 300

/** Collections whose documents the pack reads and writes. */
export const CONTENT_COLLECTIONS = ['posts', 'pages'] as const
export type ContentCollection = (typeof CONTENT_COLLECTIONS)[number]

/** Slugs of the pack's agents. */
export const CONTENT_AGENT_SLUGS = ['seo-meta', 'blog-draft', 'translate', 'summarize'] as const
export type ContentAgentSlug = (typeof CONTENT_AGENT_SLUGS)[number]
