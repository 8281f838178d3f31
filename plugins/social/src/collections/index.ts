/** The three social collections, built from the plugin's options. */
export { socialAccountsCollection } from './social-accounts.ts'
export { socialPostsCollection } from './social-posts.ts'
export { socialVariantsCollection } from './social-variants.ts'
