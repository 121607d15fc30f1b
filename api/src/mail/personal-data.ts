// GDPR for mail (src/privacy/personal-data.ts): the mails sent to a person, the mails read
// from their address, and their notification choices. Erasure deletes them: a mail's text is
// theirs and the tickets keep the conversation. Listed before accounts, whose erasure
// replaces the address these rows are found by.
import type { EntityManager } from '@mikro-orm/postgresql'
import type { PersonalDataSource } from '../privacy/personal-data.ts'

async function addressOf(em: EntityManager, userId: string): Promise<string | null> {
  const [row] = await em.execute<{ email: string }[]>('select email from users where id = ?', [
    userId,
  ])
  return row?.email ?? null
}

export const mailPersonalData: PersonalDataSource = {
  name: 'mail',
  async export(em, userId) {
    const address = await addressOf(em, userId)
    return {
      mailsSent: await em.execute(
        `select id, kind, subject, status, created_at as "createdAt", sent_at as "sentAt"
         from outbound_mail where recipient_id = ? or recipient = ? order by created_at`,
        [userId, address],
      ),
      mailsReceived: await em.execute(
        `select message_id as "messageId", subject, outcome, ticket_id as "ticketId",
           received_at as "receivedAt"
         from inbound_messages where from_address = ? order by received_at`,
        [address],
      ),
      notificationPreferences:
        (
          await em.execute<{ settings: unknown }[]>(
            'select settings from notification_preferences where user_id = ?',
            [userId],
          )
        )[0]?.settings ?? {},
    }
  },
  async erase(em, userId) {
    const address = await addressOf(em, userId)
    await em.execute('delete from outbound_mail where recipient_id = ? or recipient = ?', [
      userId,
      address,
    ])
    await em.execute('delete from inbound_messages where from_address = ?', [address])
    await em.execute('delete from notification_queue where recipient_id = ?', [userId])
    await em.execute('delete from notification_preferences where user_id = ?', [userId])
    await em.execute('delete from account_tokens where user_id = ?', [userId])
    return { storageKeys: [] }
  },
}
