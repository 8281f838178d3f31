/**
 * `@bizosaas/cms/test`: the CMS's test kit for other packages' tests, e2e harnesses and benches —
 * a real Payload on its own database (`startTestCms`), Payload's REST API over HTTP
 * (`servePayloadRest`), the real `payload` CLI, the demo seed and rich-text fixtures. Import it
 * from here, never from `cms/src/**` by path.
 */
export { runPayloadCli } from './cli.ts'
export {
  type GraphQLResult,
  migratedTemplate,
  RestClient,
  type RestResponse,
  startTestCms,
  TEST_SECRET,
  type TestCms,
} from './harness.ts'
export { lexicalParagraphs } from './lexical.ts'
export { type PayloadRestServer, servePayloadRest } from './rest-server.ts'
