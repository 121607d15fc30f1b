// The output shape of a canned response (docs/api.md "Canned responses").
import { z } from 'zod'
import type { CannedResponseEntity } from './entities.ts'

export const CannedResponseOut = z.object({
  id: z.uuid(),
  shortcut: z.string(),
  title: z.string(),
  body: z.string().describe('Markdown with placeholders such as {{customer.name}}'),
  shared: z.boolean().describe('Shared with every agent; otherwise the reader’s own'),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
})
export type CannedResponseOut = z.input<typeof CannedResponseOut>

export function presentCannedResponse(response: CannedResponseEntity): CannedResponseOut {
  return {
    id: response.id,
    shortcut: response.shortcut,
    title: response.title,
    body: response.body,
    shared: response.ownerId === null,
    createdAt: response.createdAt.toISOString(),
    updatedAt: response.updatedAt.toISOString(),
  }
}

export const PlaceholderOut = z.object({
  placeholder: z.string().describe('As written in a response: {{customer.name}}'),
  description: z.string(),
})

export const RenderedOut = z.object({
  body: z.string().describe('The response’s body with its placeholders filled for the ticket'),
})
