/**
 * AES-256-GCM with a keyring: every secret is sealed with the current key and carries that key's id,
 * so old secrets still open after a new key is added, and `rotateVaultKeys` moves them to the new one.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { z } from 'zod'

export interface VaultKey {
  id: string
  key: Buffer
}

/** The keys the vault may use: `current` seals, every key in `keys` opens. */
export interface VaultKeyring {
  current: VaultKey
  keys: ReadonlyMap<string, Buffer>
  /** True when the key was derived from PAYLOAD_SECRET because no VAULT_KEYS/VAULT_KEY was set (dev only). */
  derived: boolean
}

/** A sealed secret as stored: `v1.<iv>.<tag>.<ciphertext>` (base64url) plus the id of the key that sealed it. */
export interface SealedSecret {
  ciphertext: string
  keyId: string
}

/** A problem with the vault's keys or a stored secret; the message never contains key or secret material. */
export class VaultKeyError extends Error {
  override name = 'VaultKeyError'
}

const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/
const keyIdSchema = z.string().regex(KEY_ID, 'key ids are 1–32 letters, digits, "-" or "_"')

/** 32 bytes given as 64 hex digits or base64 / base64url (44 or 43 characters). */
function parseKeyMaterial(text: string, where: string): Buffer {
  const value = text.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, 'hex') : Buffer.from(value, 'base64')
  if (bytes.length !== 32)
    throw new VaultKeyError(
      `${where} must be 32 random bytes as 64 hex digits or base64 (e.g. \`openssl rand -base64 32\`); got ${bytes.length} bytes`,
    )
  return bytes
}

export interface KeyringEnv {
  VAULT_KEYS?: string
  VAULT_KEY?: string
  PAYLOAD_SECRET?: string
  NODE_ENV?: string
}

/**
 * Reads the keyring from env. `VAULT_KEYS="2026-11:<key>,2026-01:<key>"` (the first is current; the rest
 * only open older secrets) or `VAULT_KEY=<key>` (id `default`). With neither, development derives a key
 * from PAYLOAD_SECRET so `pnpm dev` works with no setup; production (NODE_ENV=production) refuses.
 */
export function keyringFromEnv(env: KeyringEnv = process.env): VaultKeyring {
  const entries: VaultKey[] = []
  if (env.VAULT_KEYS?.trim()) {
    for (const [index, part] of env.VAULT_KEYS.split(',').entries()) {
      const at = part.indexOf(':')
      if (at < 0) throw new VaultKeyError(`VAULT_KEYS entry ${index + 1} must look like "<key id>:<key>"`)
      const id = keyIdSchema.safeParse(part.slice(0, at).trim())
      if (!id.success) throw new VaultKeyError(`VAULT_KEYS entry ${index + 1}: ${id.error.issues[0]?.message}`)
      if (entries.some((e) => e.id === id.data)) throw new VaultKeyError(`VAULT_KEYS names key id "${id.data}" twice`)
      entries.push({ id: id.data, key: parseKeyMaterial(part.slice(at + 1), `VAULT_KEYS key "${id.data}"`) })
    }
  } else if (env.VAULT_KEY?.trim()) {
    entries.push({ id: 'default', key: parseKeyMaterial(env.VAULT_KEY, 'VAULT_KEY') })
  }
  if (entries.length) return keyring(entries)

  if (env.NODE_ENV === 'production')
    throw new VaultKeyError(
      'The vault needs a key in production: set VAULT_KEY (32 random bytes, `openssl rand -base64 32`) or VAULT_KEYS="<id>:<key>,…".',
    )
  if (!env.PAYLOAD_SECRET) throw new VaultKeyError('Set VAULT_KEY (or PAYLOAD_SECRET for a development key).')
  const derived = Buffer.from(hkdfSync('sha256', env.PAYLOAD_SECRET, 'bizosaas-vault', 'dev-key-v1', 32))
  return { ...keyring([{ id: 'dev', key: derived }]), derived: true }
}

/** A keyring from explicit keys; the first is current. */
export function keyring(entries: readonly VaultKey[]): VaultKeyring {
  const [current] = entries
  if (!current) throw new VaultKeyError('A keyring needs at least one key')
  for (const entry of entries) {
    keyIdSchema.parse(entry.id)
    if (entry.key.length !== 32) throw new VaultKeyError(`Key "${entry.id}" must be 32 bytes`)
  }
  return { current, keys: new Map(entries.map((e) => [e.id, e.key])), derived: false }
}

const b64 = (buf: Buffer) => buf.toString('base64url')

/** Seals `plaintext` with the current key; `context` (e.g. the tenant) is bound as associated data. */
export function seal(ring: VaultKeyring, plaintext: string, context: string): SealedSecret {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  return { ciphertext: `v1.${b64(iv)}.${b64(cipher.getAuthTag())}.${b64(body)}`, keyId: ring.current.id }
}

/** Opens a sealed secret; throws VaultKeyError for an unknown key, tampering or a different `context`. */
export function open(ring: VaultKeyring, sealed: SealedSecret, context: string): string {
  const key = ring.keys.get(sealed.keyId)
  if (!key)
    throw new VaultKeyError(
      `This secret was sealed with key "${sealed.keyId}", which is not in VAULT_KEYS; add it back to open it`,
    )
  const [version, iv, tag, body] = sealed.ciphertext.split('.')
  if (version !== 'v1' || !iv || !tag || body === undefined) throw new VaultKeyError('Unknown sealed-secret format')
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8')
  } catch {
    throw new VaultKeyError('The secret could not be opened: it was changed, or belongs to another tenant')
  }
}
