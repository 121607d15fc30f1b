import { Migration20261210090200_mail_channels } from '../db/migrations/Migration20261210090200_mail_channels.ts'
import type { HelpdeskModule } from '../platform/module.ts'
import { startChannelPoller } from './poller.ts'
import {
  createChannelRoute,
  deleteChannelRoute,
  getChannelRoute,
  listChannelMessages,
  listChannelsRoute,
  updateChannelRoute,
} from './routes.ts'

/** Incoming mail: IMAP mailboxes read into tickets, exactly once, by one replica at a time. */
export const channelsModule: HelpdeskModule = {
  name: 'channels',
  migrations: [
    {
      name: 'Migration20261210090200_mail_channels',
      class: Migration20261210090200_mail_channels,
    },
  ],
  routes: [
    listChannelsRoute,
    createChannelRoute,
    getChannelRoute,
    updateChannelRoute,
    deleteChannelRoute,
    listChannelMessages,
  ],
  background: startChannelPoller,
}
