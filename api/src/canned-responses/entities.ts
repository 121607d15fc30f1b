// The canned responses table (Migration20261211090000_canned_responses).
import { defineEntity, p } from '@mikro-orm/core'

/** A reply agents insert by its shortcut; `ownerId` null: shared by every agent. */
export const CannedResponse = defineEntity({
  name: 'CannedResponse',
  tableName: 'canned_responses',
  properties: {
    id: p.uuid().primary().defaultRaw('gen_random_uuid()'),
    ownerId: p.uuid().nullable(),
    shortcut: p.text(),
    title: p.text(),
    body: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
})
export type CannedResponseEntity = InstanceType<typeof CannedResponse.class>

export const CANNED_RESPONSE_ENTITIES = [CannedResponse]
