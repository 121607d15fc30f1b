// Each person's notification choices, and the one-click unsubscribe link in every
// notification (RFC 8058: mail programs POST to it without a session).

import { findUser } from '../accounts/queries.ts'
import { auditOrigin, recordAudit } from '../audit/commands.ts'
import { route } from '../routes/define.ts'
import { setPreferences, unsubscribe } from './commands.ts'
import { PreferenceChanges, UnsubscribeQuery } from './inputs.ts'
import { NotificationPreferencesOut, presentPreferences } from './presenters.ts'
import { preferencesOf } from './queries.ts'

export const getNotificationPreferences = route
  .get('/account/notifications')
  .operationId('getNotificationPreferences')
  .summary('Which notification mails I get', 'notifications')
  .auth()
  .response(200, NotificationPreferencesOut)
  .handle(async ({ actor, em }) => {
    const user = await findUser(em, actor.userId)
    return presentPreferences(await preferencesOf(em, actor.userId), user.role)
  })

export const updateNotificationPreferences = route
  .put('/account/notifications')
  .operationId('updateNotificationPreferences')
  .summary(
    'Choose which notification mails I get; omitted events keep their choice',
    'notifications',
  )
  .auth()
  .body(PreferenceChanges)
  .response(200, NotificationPreferencesOut)
  .handle(async ({ body, actor, em }) => {
    const user = await findUser(em, actor.userId)
    const changes = Object.fromEntries(
      Object.entries(body).filter(([, value]) => value !== undefined),
    )
    return presentPreferences(await setPreferences(em, actor.userId, changes), user.role)
  })

export const unsubscribeRoute = route
  .post('/notifications/unsubscribe')
  .operationId('unsubscribeNotifications')
  .summary(
    'Stop every notification mail to the person a mail’s link names (one click)',
    'notifications',
  )
  .public()
  .query(UnsubscribeQuery)
  .response(204)
  .response(404, undefined, 'The link is not known')
  .handle(async ({ query, ctx, em }) => {
    await em.transactional(async (tx) => {
      const userId = await unsubscribe(tx, query.token)
      await recordAudit(
        tx,
        { ...auditOrigin(ctx, null), actorId: userId },
        {
          action: 'notifications.unsubscribed',
          targetType: 'user',
          targetId: userId,
        },
      )
    })
  })
