/** The `/api/social` endpoints (the publisher's variant endpoints live in ./variants.ts, its lane's). */
import type { Endpoint } from 'payload'
import { accountTargetsEndpoint, addAccountEndpoint } from './accounts.ts'
import { calendarEndpoint, metricsEndpoint } from './calendar.ts'
import { createPostEndpoint, postTransitionEndpoints } from './posts.ts'
import { validateEndpoint } from './validate.ts'
import { variantEndpoints } from './variants.ts'

export const socialEndpoints: Endpoint[] = [
  accountTargetsEndpoint,
  addAccountEndpoint,
  createPostEndpoint,
  ...postTransitionEndpoints,
  calendarEndpoint,
  metricsEndpoint,
  validateEndpoint,
  ...variantEndpoints,
]
