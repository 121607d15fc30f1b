// render-nginx-conf.sh: defaults, validation that lists every problem, and no way for a
// setting to smuggle extra directives or headers into the configuration.
import { execFile, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from '@jest/globals'
import { webDir } from '../scripts/build.ts'
import { renderNginxConfig } from '../scripts/nginx.ts'

const run = promisify(execFile)
const script = path.join(webDir, 'render-nginx-conf.sh')

async function render(env: Record<string, string>) {
  return run('sh', [script], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env } }).then(
    ({ stdout }) => ({ code: 0, stdout, stderr: '' }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  )
}

describe('render-nginx-conf.sh', () => {
  it('renders the image defaults: port 8080, the helpdesk-api service, connect-src self', async () => {
    const { code, stdout } = await render({})
    expect(code).toBe(0)
    expect(stdout).toMatch(/^\s+listen 8080;$/m)
    expect(stdout).toMatch(/^\s+proxy_pass http:\/\/helpdesk-api:8080;$/m)
    expect(stdout).toMatch(/^\s+root \/usr\/share\/helpdesk\/web;$/m)
    expect(stdout).toContain("connect-src 'self'; frame-ancestors 'none'")
    // nginx's own variables are left alone.
    expect(stdout).toContain('try_files $uri /index.html;')
    expect(stdout).not.toMatch(/\$\{[A-Z_]+\}/)
  })

  it('adds configured connect-src sources, normalising the spacing', async () => {
    const config = await renderNginxConfig({
      port: 9000,
      apiUpstream: 'http://127.0.0.1:8081',
      webRoot: '/srv/web',
      cspConnectSrc: '  https://api.example.com   wss://events.example.com:443 ',
    })
    expect(config).toContain(
      "connect-src 'self' https://api.example.com wss://events.example.com:443; frame-ancestors",
    )
    expect(config).toMatch(/^\s+listen 9000;$/m)
  })

  it('believes X-Forwarded-For from the private ranges by default, from TRUSTED_PROXIES when set', async () => {
    const trusted = (config: string) =>
      [...config.matchAll(/^\s+set_real_ip_from (\S+);$/gm)].map((match) => match[1])
    const defaults = await render({})
    expect(trusted(defaults.stdout)).toEqual([
      '10.0.0.0/8',
      '172.16.0.0/12',
      '192.168.0.0/16',
      'fc00::/7',
    ])
    // The API gets the one address this nginx resolved, not a list a client could prepend to.
    expect(defaults.stdout).toMatch(/^\s+proxy_set_header X-Forwarded-For \$remote_addr;$/m)
    const configured = await render({ TRUSTED_PROXIES: '10.213.0.0/23  2001:db8::1' })
    expect(trusted(configured.stdout)).toEqual(['10.213.0.0/23', '2001:db8::1'])
    expect(trusted((await render({ TRUSTED_PROXIES: '' })).stdout)).toEqual([])
  })

  it('lists every invalid setting and exits 64', async () => {
    const { code, stderr } = await render({
      PORT: '80800',
      API_UPSTREAM: 'http://helpdesk-api:8080/api',
      WEB_ROOT: 'relative/path',
      CLIENT_MAX_BODY_SIZE: 'lots',
    })
    expect(code).toBe(64)
    expect(stderr).toContain("PORT must be a port number (1-65535), got '80800'")
    expect(stderr).toContain('API_UPSTREAM must be scheme://host[:port] without a path')
    expect(stderr).toContain('WEB_ROOT must be an absolute path')
    expect(stderr).toContain("CLIENT_MAX_BODY_SIZE must be a size such as 30m, got 'lots'")
  })

  it.each([
    ['API_UPSTREAM', 'http://a:1; return 200 x'],
    ['API_UPSTREAM', 'http://a:1\nlocation /x {}'],
    ['WEB_ROOT', '/srv; autoindex on'],
    ['HELPDESK_CSP_CONNECT_SRC', "'unsafe-eval'"],
    ['HELPDESK_CSP_CONNECT_SRC', 'https://a.example;script-src'],
    ['HELPDESK_CSP_CONNECT_SRC', 'https://a.example" always; add_header X-Evil "1'],
    ['PORT', '8080 default_server; listen 81'],
    ['TRUSTED_PROXIES', '10.0.0.0/8; allow all'],
  ])('refuses %s=%j instead of writing it into the configuration', async (name, value) => {
    const { code, stdout, stderr } = await render({ [name]: value })
    expect(code).toBe(64)
    expect(stdout).toBe('')
    expect(stderr).toContain(name)
  })

  it('produces a configuration nginx accepts', async () => {
    const config = await renderNginxConfig({
      port: 18080,
      apiUpstream: 'http://127.0.0.1:8081',
      webRoot: '/srv/web',
    })
    const prefix = mkdtempSync(path.join(tmpdir(), 'nginx-conf-'))
    try {
      writeFileSync(path.join(prefix, 'nginx.conf'), config)
      const check = spawnSync(
        existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : 'nginx',
        ['-t', '-p', `${prefix}/`, '-c', path.join(prefix, 'nginx.conf'), '-e', 'stderr'],
        // The access log is /dev/stdout, which nginx opens by name: give it a device.
        { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
      )
      expect(check.stderr).toContain('test is successful')
    } finally {
      rmSync(prefix, { recursive: true, force: true })
    }
  })
})
