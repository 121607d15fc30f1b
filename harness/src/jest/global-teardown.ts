import type { StartedServices } from '../services.ts'

export default async function globalTeardown() {
  await (globalThis as { helpdeskServices?: StartedServices }).helpdeskServices?.stop()
}
