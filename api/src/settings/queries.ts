import type { EntityManager } from '@mikro-orm/postgresql'
import type { Settings } from './presenters.ts'

const DEFAULT_SETTINGS: Settings = { selfSignupEnabled: false, mfaRequiredForAgents: false }

/** Where each setting lives in app_setting (accounts/actor.ts reads mfa_required_for_agents). */
export const SETTING_KEYS: Record<keyof Settings, string> = {
  selfSignupEnabled: 'self_signup_enabled',
  mfaRequiredForAgents: 'mfa_required_for_agents',
}

export async function readSettings(em: EntityManager): Promise<Settings> {
  const rows = await em.execute<{ key: string; value: unknown }[]>(
    'select key, value from app_setting where key in (?)',
    [Object.values(SETTING_KEYS)],
  )
  const stored = new Map(rows.map((row) => [row.key, row.value]))
  const settings = { ...DEFAULT_SETTINGS }
  for (const [name, key] of Object.entries(SETTING_KEYS) as [keyof Settings, string][]) {
    const value = stored.get(key)
    if (typeof value === 'boolean') settings[name] = value
  }
  return settings
}
