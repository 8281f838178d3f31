import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { keyring, keyringFromEnv, open, seal, VaultKeyError } from './crypto.ts'

const k1 = randomBytes(32)
const k2 = randomBytes(32)

describe('vault crypto', () => {
  it('seals with the current key, opens with any key of the ring, and binds the tenant', () => {
    const old = keyring([{ id: 'k1', key: k1 }])
    const sealed = seal(old, 'fake-key-live-abcdef123456', 'tenant=1')
    expect(sealed.keyId).toBe('k1')
    expect(sealed.ciphertext).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/)
    expect(sealed.ciphertext).not.toContain('abcdef')
    // a fresh IV each time: the same secret never gives the same ciphertext
    expect(seal(old, 'fake-key-live-abcdef123456', 'tenant=1').ciphertext).not.toBe(sealed.ciphertext)

    const rotated = keyring([
      { id: 'k2', key: k2 },
      { id: 'k1', key: k1 },
    ])
    expect(open(rotated, sealed, 'tenant=1')).toBe('fake-key-live-abcdef123456')
    expect(seal(rotated, 'x'.repeat(10), 'tenant=1').keyId).toBe('k2')

    expect(() => open(rotated, sealed, 'tenant=2')).toThrow(/another tenant/)
    const [v, iv, tag, body] = sealed.ciphertext.split('.')
    const flipped = `${v}.${iv}.${tag}.${body!.slice(0, -2)}${body!.endsWith('AA') ? 'AB' : 'AA'}`
    expect(() => open(rotated, { ...sealed, ciphertext: flipped }, 'tenant=1')).toThrow(VaultKeyError)
    expect(() => open(keyring([{ id: 'k2', key: k2 }]), sealed, 'tenant=1')).toThrow(/key "k1".*not in VAULT_KEYS/)
  })

  it('reads VAULT_KEYS (first is current) and VAULT_KEY, in hex or base64', () => {
    const ring = keyringFromEnv({ VAULT_KEYS: `2026-11:${k2.toString('base64')}, 2026-01:${k1.toString('hex')}` })
    expect(ring.current.id).toBe('2026-11')
    expect([...ring.keys.keys()]).toEqual(['2026-11', '2026-01'])
    expect(ring.keys.get('2026-01')).toEqual(k1)
    expect(keyringFromEnv({ VAULT_KEY: k1.toString('base64url'), NODE_ENV: 'production' }).current).toEqual({
      id: 'default',
      key: k1,
    })
  })

  it('derives a development key from PAYLOAD_SECRET, and refuses to run production without a key', () => {
    const dev = keyringFromEnv({ PAYLOAD_SECRET: 'dev-secret-1234567890' })
    expect(dev.derived).toBe(true)
    expect(dev.current.id).toBe('dev')
    expect(keyringFromEnv({ PAYLOAD_SECRET: 'dev-secret-1234567890' }).current.key).toEqual(dev.current.key)
    expect(() => keyringFromEnv({ PAYLOAD_SECRET: 'x', NODE_ENV: 'production' })).toThrow(
      /needs a key in production: set VAULT_KEY/,
    )
  })

  it('names what is wrong with a malformed key, without echoing it', () => {
    expect(() => keyringFromEnv({ VAULT_KEY: 'too-short-secret' })).toThrow(/VAULT_KEY must be 32 random bytes/)
    expect(() => keyringFromEnv({ VAULT_KEY: 'too-short-secret' })).not.toThrow(/too-short-secret/)
    expect(() => keyringFromEnv({ VAULT_KEYS: k1.toString('hex') })).toThrow(/entry 1 must look like "<key id>:<key>"/)
    expect(() => keyringFromEnv({ VAULT_KEYS: `a b:${k1.toString('hex')}` })).toThrow(/entry 1: key ids are/)
    expect(() => keyringFromEnv({ VAULT_KEYS: `a:${k1.toString('hex')},a:${k2.toString('hex')}` })).toThrow(
      /names key id "a" twice/,
    )
  })
})
