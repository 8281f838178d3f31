/**
 * HTTP middlewares. Uploads from the local file provider live in COMMERCE_UPLOAD_DIR (under DATA_DIR,
 * not inside the app), and Medusa only serves `<app>/static` by itself, so we serve that folder at
 * `/static` too: product image URLs point at this server.
 */
import { defineMiddlewares } from '@medusajs/framework/http'
import express from 'express'
import { readCommerceEnv } from '../env'

const { uploadDir } = readCommerceEnv()

export default defineMiddlewares({
  routes: [{ matcher: '/static', middlewares: [express.static(uploadDir, { fallthrough: true, index: false })] }],
})
