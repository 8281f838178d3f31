/**
 * `@bizosaas/plugin-connectors/testing`: real servers for tests of connectors and their users, each on a
 * free port with faults to inject.
 */
export {
  type ParsedMessage,
  type SmtpCapture,
  type SmtpCaptureFaults,
  type SmtpCaptureOptions,
  startSmtpCapture,
} from './smtp-capture.ts'
