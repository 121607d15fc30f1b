// The System page's sentences: embedded mode names what it really runs (PGlite, an in-memory
// cache, a local directory), never "Redis Up"; a server setup names its servers; nothing is
// raw JSON.
import { describe, expect, it } from '@jest/globals'
import { describeHealth } from '../../src/admin/healthWords.ts'
import type { Health } from '../../src/api/types.ts'

const embedded: Health['checks'] = {
  database: {
    status: 'up',
    latencyMs: 2.4,
    mode: 'embedded',
    schema: { current: true, version: 'Migration20261210090200_mail_channels', pending: [] },
  },
  redis: { status: 'up', latencyMs: 0, mode: 'memory' },
  storage: {
    status: 'up',
    latencyMs: 0.3,
    mode: 'local',
    location: 'file:///var/lib/helpdesk/attachments',
  },
}

const servers: Health['checks'] = {
  database: {
    status: 'up',
    latencyMs: 3,
    mode: 'postgres',
    schema: { current: false, version: 'A', pending: ['B', 'C'] },
  },
  redis: { status: 'down', latencyMs: 800, mode: 'redis', detail: 'connection reconnecting' },
  storage: { status: 'up', latencyMs: 12, mode: 's3', location: 's3://helpdesk-files' },
}

describe('the System page’s words', () => {
  it('names the embedded database, the in-memory cache and local storage as such', () => {
    const [database, cache, storage] = describeHealth(embedded)
    expect(database).toEqual({
      name: 'Embedded database (PGlite)',
      status: 'up',
      sentence:
        'PGlite runs inside the API process, with its files in the data directory; it answered in 2 ms. Its schema is up to date (migration Migration20261210090200_mail_channels).',
    })
    expect(cache?.name).toBe('In-memory cache (no Redis)')
    expect(cache?.sentence).toMatch(/^No Redis is configured: sessions and rate limits are kept/)
    expect(storage).toMatchObject({
      name: 'Local file storage',
      sentence:
        'Attachments are kept in the directory /var/lib/helpdesk/attachments on the API’s machine; the storage answered in 1 ms.',
    })
  })

  it('names the servers, says what is wrong in a sentence, and never shows JSON', () => {
    const states = describeHealth(servers)
    expect(states.map((state) => [state.name, state.status])).toEqual([
      ['PostgreSQL database', 'up'],
      ['Redis', 'down'],
      ['S3 object storage', 'up'],
    ])
    expect(states[0]?.sentence).toContain('2 migrations are not applied yet: B, C.')
    expect(states[1]?.sentence).toBe(
      'Redis does not answer: connection reconnecting. Sign-ins and rate limits fail until it is back.',
    )
    expect(states[2]?.sentence).toContain('in the bucket helpdesk-files')
    for (const state of states) expect(state.sentence).not.toMatch(/[{}[\]"]/)
  })
})
