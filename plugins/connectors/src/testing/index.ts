/** Testing kit of the connectors: mock servers (real HTTP on free ports) each lane adds; one export line per file. */
export {
  type MockOAuthAccount,
  type MockOAuthClient,
  type MockOAuthEndpoint,
  type MockOAuthFault,
  type MockOAuthGrant,
  type MockOAuthProvider,
  type MockOAuthProviderOptions,
  type MockOAuthRequest,
  type MockServiceAccount,
  startMockOAuthProvider,
} from './mock-oauth.ts'
