// The admin pages, loaded only when an admin opens them.
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
  { id: 'users', label: 'Users', Page: UsersPage },
  { id: 'teams', label: 'Teams', Page: TeamsPage },
  { id: 'sla', label: 'SLA targets', Page: SlaPage },
  { id: 'settings', label: 'Settings', Page: SettingsPage },
  { id: 'email', label: 'Email', Page: EmailPage },
  { id: 'audit', label: 'Audit log', Page: AuditPage },
  { id: 'system', label: 'System', Page: SystemPage },
] as const

export default function AdminArea({ section }: { section: string }) {
  const current = SECTIONS.find((candidate) => candidate.id === section)
  return (
    <div className="admin">
      <nav className="tabs" aria-label="Admin sections">
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
          <PageHeading title="Page not found" />
          <p>There is no such admin page.</p>
        </section>
      )}
    </div>
  )
}
