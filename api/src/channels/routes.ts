// Admin → Email → Channels: the mailboxes read into tickets, their last poll and error, and
// what each one read.
import { z } from 'zod'
import { auditOrigin } from '../audit/commands.ts'
import { mail } from '../mail/policy.ts'
import { route } from '../routes/define.ts'
import { PageQuery, pageOf, toPage } from '../routes/pagination.ts'
import { createChannel, deleteChannel, updateChannel } from './commands.ts'
import { ChannelChanges, NewChannel } from './inputs.ts'
import { refreshChannels } from './poller.ts'
import {
  ChannelOut,
  InboundMessageOut,
  presentChannel,
  presentInboundMessage,
} from './presenters.ts'
import { findChannel, inboundPage, listChannels } from './queries.ts'

const ChannelId = z.object({ id: z.uuid() })

export const listChannelsRoute = route
  .get('/mail/channels')
  .operationId('listMailChannels')
  .summary('Mail channels with their last poll and error (admin)', 'mail')
  .auth(mail.read.permission)
  .response(200, z.object({ items: z.array(ChannelOut) }))
  .handle(async ({ em }) => ({ items: (await listChannels(em)).map(presentChannel) }))

export const createChannelRoute = route
  .post('/mail/channels')
  .operationId('createMailChannel')
  .summary(
    'Read an IMAP mailbox into tickets of a team (admin); the password is stored encrypted',
    'mail',
  )
  .auth(mail.manage.permission)
  .body(NewChannel)
  .response(201, ChannelOut)
  .response(409, undefined, 'A channel with this name or address exists')
  .response(422, undefined, 'No such team')
  .handle(async ({ body, actor, ctx, em, services }) => {
    const channel = await createChannel(em, services.sealer, auditOrigin(ctx, actor), body)
    refreshChannels(services)
    return presentChannel(channel)
  })

export const getChannelRoute = route
  .get('/mail/channels/:id')
  .operationId('getMailChannel')
  .summary('One mail channel (admin)', 'mail')
  .params(ChannelId)
  .auth(mail.read.permission)
  .response(200, ChannelOut)
  .handle(async ({ params, em }) => presentChannel(await findChannel(em, params.id)))

export const updateChannelRoute = route
  .patch('/mail/channels/:id')
  .operationId('updateMailChannel')
  .summary('Change a mail channel (admin); one from configuration changes only there', 'mail')
  .params(ChannelId)
  .auth(mail.manage.permission)
  .body(ChannelChanges)
  .response(200, ChannelOut)
  .response(409, undefined, 'Defined by configuration, or the name or address is taken')
  .response(422, undefined, 'No such team')
  .handle(async ({ params, body, actor, ctx, em, services }) => {
    const channel = await updateChannel(
      em,
      services.sealer,
      auditOrigin(ctx, actor),
      params.id,
      body,
    )
    refreshChannels(services)
    return presentChannel(channel)
  })

export const deleteChannelRoute = route
  .delete('/mail/channels/:id')
  .operationId('deleteMailChannel')
  .summary('Stop reading a mailbox and forget the channel (admin); its tickets stay', 'mail')
  .params(ChannelId)
  .auth(mail.manage.permission)
  .response(204)
  .response(409, undefined, 'Defined by configuration')
  .handle(async ({ params, actor, ctx, em, services }) => {
    await deleteChannel(em, auditOrigin(ctx, actor), params.id)
    refreshChannels(services)
  })

export const listChannelMessages = route
  .get('/mail/channels/:id/messages')
  .operationId('listMailChannelMessages')
  .summary(
    'What a channel read, newest first: the ticket each mail became, or why not (admin)',
    'mail',
  )
  .params(ChannelId)
  .query(z.object(PageQuery))
  .auth(mail.read.permission)
  .response(200, pageOf(InboundMessageOut))
  .handle(async ({ params, query, em }) => {
    await findChannel(em, params.id)
    return toPage(
      await inboundPage(em, params.id, query),
      query.limit,
      presentInboundMessage,
      (row) => [row.received_text, row.id],
    )
  })
