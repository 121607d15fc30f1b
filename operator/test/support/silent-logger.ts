import { pino } from 'pino'

/** Operators under test log only what would alarm an operator in production. */
export const testLogger = pino({ level: process.env.LOG_LEVEL ?? 'silent' })
