/**
 * Content-Security-Policy violations in a browser test: every page of a Playwright context reports the
 * `securitypolicyviolation` events it fires (listened to before any page script runs) and Chromium's
 * "Refused to …" console errors, so a test can assert that real pages satisfy their policy.
 */
import type { BrowserContext } from 'playwright-core'

/** Starts collecting; returns the list, which fills as pages load. */
export async function watchCspViolations(context: BrowserContext): Promise<string[]> {
  const found: string[] = []
  await context.exposeBinding('__reportCspViolation', ({ page }, text: string) => {
    found.push(`${page.url()}: ${text}`)
  })
  // A string: this file is compiled without the DOM library, the script runs in the page.
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => {
    window.__reportCspViolation?.(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline') + ' (' + e.sourceFile + ':' + e.lineNumber + ')')
  })`)
  context.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
      found.push(`${message.page()?.url()}: ${message.text()}`)
  })
  return found
}

/** The security headers every HTML response of our apps must carry (lower-case names → value). */
export function missingSecurityHeaders(headers: Record<string, string | string[] | undefined>): string[] {
  const get = (name: string) => {
    const value = headers[name]
    return Array.isArray(value) ? value.join(', ') : (value ?? '')
  }
  const problems: string[] = []
  if (!/frame-ancestors 'none'/.test(get('content-security-policy'))) problems.push('CSP without frame-ancestors none')
  if (get('x-content-type-options') !== 'nosniff') problems.push('no X-Content-Type-Options: nosniff')
  if (!get('referrer-policy')) problems.push('no Referrer-Policy')
  return problems
}
