// Who may read and run the installation's mail: its admins alone.
import { definePolicy } from '../policies/policy.ts'

/** Settings, the outbox (with the bodies of every mail) and the test mail are admin work. */
export const mail = definePolicy<never>()('mail', {
  read: { admin: true },
  manage: { admin: true },
})
