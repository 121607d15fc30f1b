// The committed contract files are what the API's route definitions give today: a route
// changed without `npm run generate -w @helpdesk/openapi` fails here (and in make lint).
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { contractFiles } from '../src/generate.ts'

const committed = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8')

describe('the HTTP API contract', () => {
  it('is committed as the routes give it: docs/openapi.json and the web app types', async () => {
    for (const [file, content] of Object.entries(await contractFiles())) {
      expect({ file, current: committed(file) === content }).toEqual({ file, current: true })
    }
  })

  it('describes every path the web app calls with a JSON answer', async () => {
    const document = JSON.parse(committed('docs/openapi.json')) as { paths: object }
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/tickets',
        '/api/v1/tickets/{id}',
        '/api/v1/auth/login',
        '/api/v1/settings/public',
        '/api/v1/system/health',
      ]),
    )
  })
})
