/** Testing kit: an offline mock LLM server speaking the OpenAI and Anthropic wire formats, and an in-process stub. */
export { exampleFromSchema, OFFLINE_MARKER } from './json-example.ts'
export {
  type MockFault,
  type MockLLM,
  type MockLLMOptions,
  type MockReply,
  type MockRequest,
  type MockResponse,
  type MockRule,
  OFFLINE_MODEL,
  offlineReply,
  startMockLLM,
} from './mock-llm.ts'
export { type StubProviderOptions, type StubReply, stubProvider } from './stub-provider.ts'
