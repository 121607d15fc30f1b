import type { EntityManager } from '@mikro-orm/postgresql'
import { Settings } from './presenters.ts'

const DEFAULT_SETTINGS: Settings = {
  selfSignupEnabled: false,
  mfaRequiredForAgents: false,
  // Urgent stays the staff's call: a customer's own urgency is rarely the helpdesk's.
  customerPriorities: ['low', 'normal', 'high'],
}

/** Where each setting lives in app_setting (accounts/actor.ts reads mfa_required_for_agents). */
export const SETTING_KEYS: Record<keyof Settings, string> = {
  selfSignupEnabled: 'self_signup_enabled',
  mfaRequiredForAgents: 'mfa_required_for_agents',
  customerPriorities: 'customer_priorities',
}

export async function readSettings(em: EntityManager): Promise<Settings> {
  const rows = await em.execute<{ key: string; value: unknown }[]>(
    'select key, value from app_setting where key in (?)',
    [Object.values(SETTING_KEYS)],
  )
  const stored = new Map(rows.map((row) => [row.key, row.value]))
  // Each setting on its own: a stored value that no longer fits (an older version's) reads
  // as that setting's default and leaves the others as stored.
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS }
  for (const [name, key] of Object.entries(SETTING_KEYS) as [keyof Settings, string][]) {
    const parsed = Settings.shape[name].safeParse(stored.get(key))
    if (parsed.success) settings[name] = parsed.data
  }
  return settings as Settings
}
