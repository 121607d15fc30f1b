// Admin → Email: the sender and signature, the SMTP server in use, a test mail, and the
// outbox — every mail with its status, the dead letters, and retrying them.

import type { EntityManager } from '@mikro-orm/postgresql'
import { z } from 'zod'
import { auditOrigin, recordAudit } from '../audit/commands.ts'
import type { Services } from '../platform/services.ts'
import { route } from '../routes/define.ts'
import { PageQuery, pageOf, toPage } from '../routes/pagination.ts'
import { changeMailSettings, queueMail, retryMail } from './commands.ts'
import { MailSettingsChanges, OutboxFilters, TestMail } from './inputs.ts'
import { mail } from './policy.ts'
import {
  MailSettingsOut,
  OutboundMailOut,
  OutboxItemOut,
  presentOutboundMail,
  presentOutboxItem,
} from './presenters.ts'
import {
  findOutboundMail,
  type MailSettings,
  outboxCounts,
  outboxPage,
  readMailSettings,
} from './queries.ts'
import { renderMail } from './templates.ts'

const MailId = z.object({ id: z.uuid() })

async function settingsAnswer(em: EntityManager, services: Services, settings?: MailSettings) {
  const smtp = services.config.smtp
  return {
    ...(settings ?? (await readMailSettings(em, services.config))),
    smtp: smtp && {
      host: smtp.host,
      port: smtp.port,
      security: smtp.security,
      authenticated: smtp.auth !== undefined,
    },
    outbox: await outboxCounts(em),
  }
}

export const getMailSettings = route
  .get('/mail/settings')
  .operationId('getMailSettings')
  .summary('Sender, signature, the SMTP server in use and the outbox at a glance (admin)', 'mail')
  .auth(mail.read.permission)
  .response(200, MailSettingsOut)
  .handle(async ({ em, services }) => settingsAnswer(em, services))

export const updateMailSettings = route
  .put('/mail/settings')
  .operationId('updateMailSettings')
  .summary('Change the sender, signature or notification window (admin)', 'mail')
  .auth(mail.manage.permission)
  .body(MailSettingsChanges)
  .response(200, MailSettingsOut)
  .handle(async ({ body, actor, ctx, em, services }) => {
    const changes = Object.fromEntries(
      Object.entries(body).filter(([, value]) => value !== undefined),
    ) as Partial<MailSettings>
    const settings = await changeMailSettings(em, services.config, auditOrigin(ctx, actor), changes)
    return settingsAnswer(em, services, settings)
  })

export const sendTestMail = route
  .post('/mail/test')
  .operationId('sendTestMail')
  .summary(
    'Queue a test mail through the outbox to check the sender and SMTP server (admin)',
    'mail',
  )
  .auth(mail.manage.permission)
  .body(TestMail)
  .response(202, OutboxItemOut, 'Queued; its status shows in the outbox')
  .handle(async ({ body, actor, ctx, em, services }) =>
    em.transactional(async (tx) => {
      const settings = await readMailSettings(tx, services.config)
      const content = renderMail(
        {
          subject: 'Helpdesk test mail',
          blocks: [
            {
              kind: 'paragraph',
              text: `This is a test mail from Helpdesk at ${services.config.publicUrl}. If you read it, outgoing mail works.`,
            },
            {
              kind: 'facts',
              items: [['Sender', `${settings.senderName} <${settings.senderAddress}>`]],
            },
          ],
        },
        { signature: settings.signature },
      )
      const queued = await queueMail(
        tx,
        services.config,
        {
          kind: 'test',
          to: { address: body.to },
          content,
          headers: { 'Auto-Submitted': 'auto-generated' },
        },
        settings,
      )
      await recordAudit(tx, auditOrigin(ctx, actor), {
        action: 'mail.test_queued',
        targetType: 'mail',
        targetId: queued.id,
      })
      return presentOutboxItem(await findOutboundMail(tx, queued.id))
    }),
  )

export const listOutbox = route
  .get('/mail/outbox')
  .operationId('listOutbox')
  .summary('Outgoing mail, newest first; status=failed lists the dead letters (admin)', 'mail')
  .auth(mail.read.permission)
  .query(z.object({ ...PageQuery, ...OutboxFilters }))
  .response(200, pageOf(OutboxItemOut))
  .handle(async ({ query, em }) =>
    toPage(await outboxPage(em, query), query.limit, presentOutboxItem, (row) => [
      row.created_text,
      row.id,
    ]),
  )

export const getOutboundMail = route
  .get('/mail/outbox/:id')
  .operationId('getOutboundMail')
  .summary('One outgoing mail with its headers and both parts (admin)', 'mail')
  .params(MailId)
  .auth(mail.read.permission)
  .response(200, OutboundMailOut)
  .handle(async ({ params, em }) => presentOutboundMail(await findOutboundMail(em, params.id)))

export const retryOutboundMail = route
  .post('/mail/outbox/:id/retry')
  .operationId('retryOutboundMail')
  .summary('Send a failed or held mail again now (admin)', 'mail')
  .params(MailId)
  .auth(mail.manage.permission)
  .response(200, OutboxItemOut)
  .response(409, undefined, 'The mail was sent already')
  .handle(async ({ params, actor, ctx, em }) =>
    presentOutboxItem(await retryMail(em, auditOrigin(ctx, actor), params.id)),
  )
