import type { EntityManager } from '@mikro-orm/postgresql'
import { type AuditOrigin, recordAudit } from '../audit/commands.ts'
import type { Settings } from './presenters.ts'
import { readSettings, SETTING_KEYS } from './queries.ts'

/**
 * Stores the given settings (the others keep their values) and audits what really changed,
 * from and to; returns every setting.
 */
export async function changeSettings(
  em: EntityManager,
  origin: AuditOrigin,
  changes: Partial<Settings>,
): Promise<Settings> {
  return em.transactional(async (tx) => {
    const before = await readSettings(tx)
    for (const [name, value] of Object.entries(changes) as [keyof Settings, unknown][]) {
      await tx.execute(
        `insert into app_setting (key, value, updated_at) values (?, ?::jsonb, now())
         on conflict (key) do update set value = excluded.value, updated_at = now()`,
        [SETTING_KEYS[name], JSON.stringify(value)],
      )
    }
    const after = await readSettings(tx)
    const changed = (Object.keys(after) as (keyof Settings)[]).filter(
      (name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]),
    )
    if (changed.length > 0) {
      await recordAudit(tx, origin, {
        action: 'settings.updated',
        targetType: 'settings',
        details: Object.fromEntries(
          changed.map((name) => [name, { from: before[name], to: after[name] }]),
        ),
      })
    }
    return after
  })
}
