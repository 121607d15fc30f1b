import { definePolicy } from '../policies/policy.ts'

/** Instance settings are the admins' alone. */
export const settings = definePolicy<never>()('settings', {
  read: { admin: true },
  update: { admin: true },
})
