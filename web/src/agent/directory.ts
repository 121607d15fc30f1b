// Agents and teams, for the assignee and team pickers. Loaded once per page load: they
// change rarely, and every ticket page needs them.
import { teams, users } from '../api/endpoints.ts'
import type { Person, Team } from '../api/types.ts'
import { useLoad } from '../hooks/data.ts'
import { UI_LOCALE } from '../i18n/locale.ts'

export interface Directory {
  agents: Person[]
  teams: Team[]
}

let cached: Promise<Directory> | undefined

async function loadAllStaff(): Promise<Person[]> {
  const staff: Person[] = []
  let cursor: string | undefined
  do {
    const page = await users.list({ role: 'agent,admin' }, cursor)
    staff.push(...page.items.map(({ id, name }) => ({ id, name })))
    cursor = page.nextCursor ?? undefined
  } while (cursor)
  return staff.sort((a, b) => a.name.localeCompare(b.name, UI_LOCALE))
}

function loadDirectory(): Promise<Directory> {
  cached ??= Promise.all([loadAllStaff(), teams.list()]).then(
    ([agents, teamList]) => ({ agents, teams: teamList }),
    (error: unknown) => {
      cached = undefined
      throw error
    },
  )
  return cached
}

export function useDirectory() {
  return useLoad('directory', loadDirectory)
}

/** After an admin changes teams, the next page that needs them loads them afresh. */
export function invalidateDirectory(): void {
  cached = undefined
}
