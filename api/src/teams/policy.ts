import { definePolicy } from '../policies/policy.ts'

/** Agents see teams (routing tickets); only admins shape them. Customers never see them. */
export const teams = definePolicy<{ id: string }>()(
  'teams',
  {
    list: { agent: true, admin: true },
    create: { admin: true },
    update: { admin: true },
    delete: { admin: true },
  },
  { visible: { agent: true, admin: true } },
)
