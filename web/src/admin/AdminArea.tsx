// The admin pages, loaded only when an admin opens them.

import { messages as m } from '../i18n/messages.ts'
import { Link } from '../router/router.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'
import { AuditPage } from './AuditPage.tsx'
import { EmailPage } from './EmailPage.tsx'
import { SettingsPage } from './SettingsPage.tsx'
import { SlaPage } from './SlaPage.tsx'
import { SystemPage } from './SystemPage.tsx'
import { TeamsPage } from './TeamsPage.tsx'
import { UsersPage } from './UsersPage.tsx'

const SECTIONS = [
  { id: 'users', label: m.admin.sections.users, Page: UsersPage },
  { id: 'teams', label: m.admin.sections.teams, Page: TeamsPage },
  { id: 'sla', label: m.admin.sections.sla, Page: SlaPage },
  { id: 'settings', label: m.admin.sections.settings, Page: SettingsPage },
  { id: 'email', label: m.admin.sections.email, Page: EmailPage },
  { id: 'audit', label: m.admin.sections.audit, Page: AuditPage },
  { id: 'system', label: m.admin.sections.system, Page: SystemPage },
] as const

export default function AdminArea({ section }: { section: string }) {
  const current = SECTIONS.find((candidate) => candidate.id === section)
  return (
    <div className="admin">
      <nav className="tabs" aria-label={m.admin.sections.navigation}>
        <ul>
          {SECTIONS.map((candidate) => (
            <li key={candidate.id}>
              <Link
                to={`/admin/${candidate.id}`}
                aria-current={candidate.id === section ? 'page' : undefined}
              >
                {candidate.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {current ? (
        <current.Page />
      ) : (
        <section className="page">
          <PageHeading title={m.shell.notFound} />
          <p>{m.admin.noSuchPage}</p>
        </section>
      )}
    </div>
  )
}
