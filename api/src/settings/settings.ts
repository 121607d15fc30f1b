import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'

/** Instance settings an admin changes at run time, kept in the platform's app_setting table. */
export const Settings = z.object({
  /** Anyone may create a customer account with POST /auth/register. */
  selfSignupEnabled: z.boolean(),
  /** Agents must enrol MFA before they can work (admins always must). */
  mfaRequiredForAgents: z.boolean(),
})
export type Settings = z.infer<typeof Settings>

export const DEFAULT_SETTINGS: Settings = { selfSignupEnabled: false, mfaRequiredForAgents: false }

const KEYS: Record<keyof Settings, string> = {
  selfSignupEnabled: 'self_signup_enabled',
  mfaRequiredForAgents: 'mfa_required_for_agents',
}

export async function readSettings(em: EntityManager): Promise<Settings> {
  const rows = await em.execute<{ key: string; value: unknown }[]>(
    'select key, value from app_setting where key in (?)',
    [Object.values(KEYS)],
  )
  const stored = new Map(rows.map((row) => [row.key, row.value]))
  const settings = { ...DEFAULT_SETTINGS }
  for (const [name, key] of Object.entries(KEYS) as [keyof Settings, string][]) {
    const value = stored.get(key)
    if (typeof value === 'boolean') settings[name] = value
  }
  return settings
}

/** Stores the given settings (the others keep their values); returns the whole result. */
export async function writeSettings(
  em: EntityManager,
  changes: Partial<Settings>,
): Promise<Settings> {
  for (const [name, value] of Object.entries(changes) as [keyof Settings, boolean][]) {
    await em.execute(
      `insert into app_setting (key, value, updated_at) values (?, ?::jsonb, now())
       on conflict (key) do update set value = excluded.value, updated_at = now()`,
      [KEYS[name], JSON.stringify(value)],
    )
  }
  return readSettings(em)
}
