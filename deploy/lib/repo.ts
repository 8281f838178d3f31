/** Where the repository is, for the deploy checks that read its files. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** An absolute path inside the repository. */
export const inRepo = (...parts: string[]): string => path.join(repoRoot, ...parts)
