// The production build runs under the seed's CSP (script-src 'self', no eval): no inline
// script or handler in the page, no eval in the code; assets carry content hashes; the admin
// area and the account page are separate chunks outside the first download.
import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { serviceDir } from '@helpdesk/harness'
import { beforeAll, describe, expect, it } from '@jest/globals'
import { buildWebApp } from '../scripts/build.ts'

let dist: string
let html: string
let scripts: string[]

beforeAll(async () => {
  dist = await buildWebApp(serviceDir('web-build'))
  html = readFileSync(path.join(dist, 'index.html'), 'utf8')
  scripts = readdirSync(path.join(dist, 'assets')).filter((file) => file.endsWith('.js'))
})

describe('the production build', () => {
  it('has no inline script, inline event handler or javascript: URL in the page', () => {
    const scriptTags = html.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []
    expect(scriptTags.length).toBeGreaterThan(0)
    for (const tag of scriptTags) {
      expect(tag).toMatch(/^<script\b[^>]*\bsrc="\/assets\/[^"]+\.js"[^>]*><\/script>$/)
    }
    expect(html).not.toMatch(/\son[a-z]+=/i)
    expect(html).not.toMatch(/javascript:/i)
  })

  it('needs no eval', () => {
    for (const file of scripts) {
      const code = readFileSync(path.join(dist, 'assets', file), 'utf8')
      expect({ file, evals: /\beval\(|new Function\(/.test(code) }).toEqual({ file, evals: false })
    }
  })

  it('names every asset by its content hash', () => {
    for (const file of readdirSync(path.join(dist, 'assets'))) {
      expect(file).toMatch(/-[A-Za-z0-9_-]{8}\.(js|css)$/)
    }
  })

  it('keeps the admin area and the account page out of the first download', () => {
    const initial = [...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1])
    expect(initial.length).toBeGreaterThan(0)
    expect(scripts.some((file) => file.startsWith('AdminArea-'))).toBe(true)
    expect(scripts.some((file) => file.startsWith('AccountPage-'))).toBe(true)
    for (const file of initial) expect(file).not.toMatch(/^(AdminArea|AccountPage)-/)
  })
})
