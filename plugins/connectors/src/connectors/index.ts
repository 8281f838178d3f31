/**
 * The connectors BizOSaaS ships (one file each in this folder); packs add theirs with `registerConnectors`.
 */
import type { AnyConnector } from '../define.ts'
import { anthropicConnector } from './anthropic.ts'
import { googleConnectors } from './google.ts'
import { openaiConnector } from './openai.ts'
import { smtpConnector } from './smtp.ts'

export const builtinConnectors: readonly AnyConnector[] = [
  smtpConnector,
  openaiConnector,
  anthropicConnector,
  ...googleConnectors,
]
