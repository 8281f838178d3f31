/**
 * `@bizosaas/plugin-connectors/testing`: real servers for tests of connectors and their users, each on a
 * free port with faults to inject.
 */

export * from './mock-google.ts'
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
export { type MockOAuthClientApi, mockOAuthConnector, mockOAuthOverrides } from './mock-oauth-connector.ts'
export {
  type ParsedMessage,
  type SmtpCapture,
  type SmtpCaptureFaults,
  type SmtpCaptureOptions,
  startSmtpCapture,
} from './smtp-capture.ts'
/** `@bizosaas/plugin-connectors/testing`: local mock servers for connector tests (each lane adds its line). */
export { type ReceivedWebhook, startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts'
