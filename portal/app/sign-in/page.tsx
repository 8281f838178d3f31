import { SignInTemplate } from '@modules/auth/templates/sign-in-template'

export const metadata = { title: 'Sign in — BizOSaaS portal' }

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  const { next } = await searchParams
  return <SignInTemplate next={next} expired={Boolean(next && next !== '/')} />
}
