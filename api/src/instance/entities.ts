import { defineEntity, p } from '@mikro-orm/core'

/** Instance-wide settings as JSON values under stable keys (`instance_id`, ...). */
export const AppSetting = defineEntity({
  name: 'AppSetting',
  tableName: 'app_setting',
  properties: {
    key: p.string().primary(),
    value: p.json<unknown>(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
})
