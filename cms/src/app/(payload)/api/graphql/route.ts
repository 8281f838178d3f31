import config from '@payload-config'
import { graphqlRoutes } from '@/api/routes.ts'

export const { POST, OPTIONS } = graphqlRoutes(config)
