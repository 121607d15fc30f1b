// What other packages may import from @helpdesk/api.
export { type AppOptions, apiDocument, createApp, type HelpdeskApp } from './app.ts'
export { type Config, ConfigError, loadConfig } from './config.ts'
export { databaseSchemaStatus, migrateDatabase, type SchemaStatus } from './db/database.ts'
export { defineErrorType, HttpError } from './errors.ts'
export type { Actor, AuthHooks } from './http/actor.ts'
export type { HelpdeskModule } from './platform/module.ts'
export { route } from './routes/define.ts'
export { type RunningServer, startServer } from './server.ts'
