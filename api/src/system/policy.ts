import { definePolicy } from '../policies/policy.ts'

/** How the installation itself is doing: the admins' concern. */
export const system = definePolicy<never>()('system', {
  read: { admin: true },
})
