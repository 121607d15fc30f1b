import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import path from 'node:path'
import type { Middleware } from 'koa'

const HASHED_ASSET = /[.-][A-Za-z0-9_-]{8,}\.(?:js|css|woff2?|png|svg|jpg|webp|ico)$/

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
}

/**
 * Embedded mode serves the built web app: files as they are (hashed assets cached for a year,
 * immutable), every other GET outside /api/ gets index.html (SPA routing), never cached.
 */
export function webApp(webDir: string, reserved: (path: string) => boolean): Middleware {
  const root = path.resolve(webDir)
  return async (ctx, next) => {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || reserved(ctx.path)) return next()
    const decoded = safeDecode(ctx.path)
    if (decoded === undefined) return next()
    const requested = path.resolve(root, `.${decoded}`)
    const file = requested.startsWith(root + path.sep) ? await regularFile(requested) : undefined
    const served = file ?? path.join(root, 'index.html')
    ctx.state.routeTemplate = file ? 'web asset' : 'web app'
    ctx.type = TYPES[path.extname(served)] ?? 'application/octet-stream'
    ctx.set(
      'Cache-Control',
      file && HASHED_ASSET.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache',
    )
    ctx.body = createReadStream(served)
  }
}

async function regularFile(candidate: string): Promise<string | undefined> {
  try {
    return (await stat(candidate)).isFile() ? candidate : undefined
  } catch {
    return undefined
  }
}

function safeDecode(urlPath: string): string | undefined {
  try {
    return decodeURIComponent(urlPath)
  } catch {
    return undefined
  }
}
