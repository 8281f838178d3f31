/**
 * The connectors BizOSaaS ships: one file per connector (or family) beside this one; each lane adds its
 * line to `builtinConnectors`.
 */
import type { AnyConnector } from '../define.ts'
import { googleConnectors } from './google.ts'

export const builtinConnectors: readonly AnyConnector[] = [...googleConnectors]
