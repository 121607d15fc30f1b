// The signed-in person's own account: who they are, password, email notifications,
// two-factor sign-in, API tokens, downloading their data, and signing out everywhere.

import { mustEnrolMfa, useSession } from '../hooks/session.tsx'
import { messages as m } from '../i18n/messages.ts'
import { useLocation } from '../router/router.tsx'
import { PageHeading } from '../ui/PageHeading.tsx'
import { DataExportSection } from './DataExportSection.tsx'
import { MfaSection } from './MfaSection.tsx'
import { NotificationsSection } from './NotificationsSection.tsx'
import { PasswordSection } from './PasswordSection.tsx'
import { SignOutEverywhere } from './SignOutEverywhere.tsx'
import { TokensSection } from './TokensSection.tsx'

export default function AccountPage() {
  const { user } = useSession()
  const { query } = useLocation()
  return (
    <section className="page page-narrow">
      <PageHeading title={m.account.heading} />
      <dl className="facts">
        <dt>{m.common.name}</dt>
        <dd>{user.name}</dd>
        <dt>{m.common.email}</dt>
        <dd>{user.email}</dd>
        <dt>{m.account.role}</dt>
        <dd>{m.common.roles[user.role]}</dd>
      </dl>
      <PasswordSection />
      <NotificationsSection />
      <MfaSection required={query.get('mfa') === 'required' || mustEnrolMfa(user)} />
      <TokensSection />
      <DataExportSection />
      <SignOutEverywhere />
    </section>
  )
}
