// Customer self sign-up, when an admin has turned it on. The answer is the same whether the
// email was new or taken (and takes about as long), so sign-up cannot probe for accounts; a
// person who already has an account simply signs in.
import { z } from 'zod'
import { auditOrigin, recordAudit } from '../audit/audit.ts'
import { HttpError } from '../errors.ts'
import { route } from '../routes/define.ts'
import { readSettings } from '../settings/settings.ts'
import { asEmailConflict, createUser, Email, NewPassword, PersonName } from './users.ts'

export const REGISTER_RATE_LIMITS = {
  register: { points: 10, durationSeconds: 60 * 60, whenStoreDown: 'reject' },
} as const

export const register = route
  .post('/auth/register')
  .summary('Create a customer account (when self sign-up is on), then sign in', 'auth')
  .public()
  .body(z.object({ email: Email, name: PersonName, password: NewPassword }))
  .rateLimit('register', ({ ctx }) => `ip:${ctx.ip}`)
  .response(202, z.object({ status: z.literal('accepted') }), 'Sign in with these credentials')
  .response(403, undefined, 'Self sign-up is off')
  .handle(async ({ body, ctx, em }) => {
    if (!(await readSettings(em)).selfSignupEnabled) {
      throw new HttpError('forbidden', {
        detail: 'self sign-up is off; ask an admin for an account',
      })
    }
    try {
      await em.transactional(async (tx) => {
        const user = await createUser(tx, { ...body, role: 'customer' })
        await recordAudit(tx, auditOrigin(ctx, { userId: user.id }), {
          action: 'user.registered',
          targetType: 'user',
          targetId: user.id,
        })
      })
    } catch (error) {
      // Taken: the password was hashed before the insert failed, so this took as long.
      if (!(asEmailConflict(error) instanceof HttpError)) throw error
    }
    return { status: 'accepted' as const }
  })
