// The placeholders a canned response may hold, in one list: saving checks against it, and
// inserting into a reply fills them for the ticket at hand. Pure: no database, no request.
import { defineErrorType, HttpError } from '../errors.ts'

export const UNKNOWN_PLACEHOLDER = defineErrorType('unknown_placeholder', {
  status: 422,
  title: 'The text names a placeholder that does not exist',
})

/** What the placeholders are filled from: the open ticket and the agent writing on it. */
export interface PlaceholderContext {
  customer: { name: string; email: string }
  agent: { name: string }
  ticket: { number: number; subject: string }
}

interface Placeholder {
  description: string
  value(context: PlaceholderContext): string
}

/** A person's first name: what comes before the first space of their name. */
const firstName = (name: string) => name.trim().split(/\s+/)[0] ?? name

export const PLACEHOLDERS = {
  'customer.name': {
    description: 'The requester’s name',
    value: (context) => context.customer.name,
  },
  'customer.firstName': {
    description: 'The requester’s first name',
    value: (context) => firstName(context.customer.name),
  },
  'customer.email': {
    description: 'The requester’s email address',
    value: (context) => context.customer.email,
  },
  'agent.name': { description: 'Your name', value: (context) => context.agent.name },
  'agent.firstName': {
    description: 'Your first name',
    value: (context) => firstName(context.agent.name),
  },
  'ticket.number': {
    description: 'The ticket’s number',
    value: (context) => String(context.ticket.number),
  },
  'ticket.subject': {
    description: 'The ticket’s subject',
    value: (context) => context.ticket.subject,
  },
} satisfies Record<string, Placeholder>

type PlaceholderName = keyof typeof PLACEHOLDERS

/** `{{ name }}`, spaces inside the braces allowed. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

function isPlaceholder(name: string): name is PlaceholderName {
  return Object.hasOwn(PLACEHOLDERS, name)
}

/** The names in `text` that are no placeholder, each once, in order of appearance. */
export function unknownPlaceholders(text: string): string[] {
  const names = [...text.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '')
  return [...new Set(names.filter((name) => !isPlaceholder(name)))]
}

/** Throws 422 unknown_placeholder naming every unknown placeholder of the body. */
export function assertKnownPlaceholders(body: string, path: string): void {
  const unknown = unknownPlaceholders(body)
  if (unknown.length === 0) return
  const named = unknown.map((name) => `{{${name}}}`).join(', ')
  throw new HttpError(UNKNOWN_PLACEHOLDER, {
    detail: `unknown placeholder ${named}; known: ${Object.keys(PLACEHOLDERS).join(', ')}`,
    errors: unknown.map((name) => ({ path, message: `unknown placeholder {{${name}}}` })),
  })
}

/** The text with every placeholder filled in; an unknown one (saved before) stays as written. */
export function fillPlaceholders(text: string, context: PlaceholderContext): string {
  return text.replace(PLACEHOLDER, (whole, name: string) =>
    isPlaceholder(name) ? PLACEHOLDERS[name].value(context) : whole,
  )
}

/** The list for clients: each placeholder as written in a response, and what it stands for. */
export function placeholderList(): { placeholder: string; description: string }[] {
  return Object.entries(PLACEHOLDERS).map(([name, { description }]) => ({
    placeholder: `{{${name}}}`,
    description,
  }))
}
