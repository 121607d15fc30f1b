// The signed-in person's own account: who they are, password, email notifications,
// two-factor sign-in, API tokens, and signing out everywhere.

import { mustEnrolMfa, useSession } from '../hooks/session.tsx'
import { useLocation } from '../router/router.tsx'
import { humanize } from '../ui/format.ts'
import { PageHeading } from '../ui/PageHeading.tsx'
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
      <PageHeading title="Account" />
      <dl className="facts">
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{humanize(user.role)}</dd>
      </dl>
      <PasswordSection />
      <NotificationsSection />
      <MfaSection required={query.get('mfa') === 'required' || mustEnrolMfa(user)} />
      <TokensSection />
      <SignOutEverywhere />
    </section>
  )
}
