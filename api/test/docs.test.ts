// docs/configuration.md is the reference of every variable: one the parsers read and the page
// does not name fails here, so the page cannot fall behind the code.
import { readFileSync } from 'node:fs'
import {
  API_VARIABLES,
  BACKUP_S3_VARIABLES,
  BACKUP_VARIABLES,
  DATABASE_VARIABLES,
  OPERATOR_VARIABLES,
  REDIS_VARIABLES,
  S3_VARIABLES,
} from '@helpdesk/config'
import { describe, expect, it } from '@jest/globals'

const page = readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8')

describe('docs/configuration.md', () => {
  it.each([
    ['the API', Object.values(API_VARIABLES)],
    ['the database', Object.values(DATABASE_VARIABLES)],
    ['Redis', Object.values(REDIS_VARIABLES)],
    ['the attachments bucket', Object.values(S3_VARIABLES)],
    ['the backup bucket', Object.values(BACKUP_S3_VARIABLES)],
    ['the backup engine', Object.values(BACKUP_VARIABLES)],
    ['the operator', Object.values(OPERATOR_VARIABLES)],
  ])('names every variable of %s', (_, names) => {
    expect(names.filter((name) => !page.includes(`\`${name}\``))).toEqual([])
  })
})
