/** The /api/social endpoints (filled in below). */
import type { Endpoint } from 'payload'

export const socialEndpoints: Endpoint[] = []
