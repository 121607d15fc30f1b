// web/nginx.conf rendered through render-nginx-conf.sh — the script the web image runs — so
// tests serve the app with exactly the production configuration.
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { webDir } from './build.ts'

const run = promisify(execFile)

export interface NginxSettings {
  port: number
  /** scheme://host:port of the API. */
  apiUpstream: string
  /** The built app. */
  webRoot: string
  cspConnectSrc?: string
  clientMaxBodySize?: string
}

export async function renderNginxConfig(settings: NginxSettings): Promise<string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    PORT: String(settings.port),
    API_UPSTREAM: settings.apiUpstream,
    WEB_ROOT: settings.webRoot,
  }
  if (settings.cspConnectSrc) env.HELPDESK_CSP_CONNECT_SRC = settings.cspConnectSrc
  if (settings.clientMaxBodySize) env.CLIENT_MAX_BODY_SIZE = settings.clientMaxBodySize
  const script = path.join(webDir, 'render-nginx-conf.sh')
  const { stdout } = await run('sh', [script], { env }).catch(
    (error: Error & { stderr?: string }) => {
      throw new Error(error.stderr || error.message)
    },
  )
  return stdout
}

/**
 * The security headers of docs/requirements.md (the CSP with frame-ancestors, base-uri and
 * form-action added), as every response must carry them. Tests
 * compare against this; nginx.conf states them literally.
 */
export function seedSecurityHeaders(connectSrc = ''): Record<string, string> {
  return {
    'content-security-policy': `default-src 'self'; img-src 'self' data: https:; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'${connectSrc ? ` ${connectSrc}` : ''}; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'x-xss-protection': '1; mode=block',
    'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
  }
}
