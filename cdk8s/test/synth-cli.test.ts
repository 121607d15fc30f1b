// `npm run synth -- --config <file>`: plain manifests for GitOps, equal to the chart's render
// of the same values (generated credentials excepted).
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { serviceDir } from '@helpdesk/harness'
import { describe, expect, it } from '@jest/globals'
import { stringify } from 'yaml'
import { comparable, helmTemplate, parseManifests } from './support/charts.ts'
import { VALUE_SETS } from './support/value-sets.ts'

const run = promisify(execFile)
const cli = fileURLToPath(new URL('../src/cli/synth.ts', import.meta.url))
const defaultConfig = fileURLToPath(new URL('../synth.config.yaml', import.meta.url))

async function synth(config: string) {
  const { stdout } = await run(process.execPath, [cli, '--config', config])
  return parseManifests(stdout)
}

describe('synth CLI', () => {
  it("with the shipped config equals the chart's default render", async () => {
    expect(comparable(await synth(defaultConfig))).toEqual(
      comparable(await helmTemplate({}, { release: 'helpdesk', namespace: 'default' })),
    )
  })

  it('takes values files and inline values like helm -f', async () => {
    const directory = serviceDir('synth')
    writeFileSync(path.join(directory, 'external.yaml'), stringify(VALUE_SETS.external))
    const config = path.join(directory, 'synth.yaml')
    writeFileSync(
      config,
      stringify({
        name: 'acme',
        namespace: 'support',
        valuesFiles: ['external.yaml'],
        values: { api: { logLevel: 'debug' } },
      }),
    )
    const external = VALUE_SETS.external as Record<string, Record<string, unknown>>
    const values = { ...external, api: { ...external.api, logLevel: 'debug' } }
    expect(comparable(await synth(config))).toEqual(
      comparable(await helmTemplate(values, { release: 'acme', namespace: 'support' })),
    )
  })

  it('lists every problem of a bad configuration and exits 1', async () => {
    const directory = serviceDir('synth')
    const config = path.join(directory, 'synth.yaml')
    writeFileSync(
      config,
      stringify({ name: 'acme', values: { api: { replicas: { min: 'two' } }, bogus: 1 } }),
    )
    await expect(run(process.execPath, [cli, '--config', config])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        /api\.replicas\.min[\s\S]*bogus|bogus[\s\S]*api\.replicas\.min/,
      ),
    })
  })
})
