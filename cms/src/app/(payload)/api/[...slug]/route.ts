import config from '@payload-config'
import '@payloadcms/next/css'
import { restRoutes } from '@/api/routes.ts'

export const { GET, POST, DELETE, PATCH, PUT, OPTIONS } = restRoutes(config)
