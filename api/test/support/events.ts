// Reads GET /api/v1/events as a browser's EventSource would: frames split on blank lines,
// `id`, `event` and `data` fields, comments ignored. Tests wait for the next event; they
// never sleep.
import type { ApiClient } from './accounts.ts'

export interface StreamEvent {
  id: string | undefined
  event: string
  data: unknown
}

export interface EventStreamReader {
  status: number
  headers: Headers
  /** The next event (in order); rejects when the stream ends first. */
  next(): Promise<StreamEvent>
  /** The next event of this kind, skipping others (other tests' news on a shared Redis). */
  nextOf(event: string, matches?: (data: Record<string, unknown>) => boolean): Promise<StreamEvent>
  /** Resolves when the server ends the stream. */
  ended: Promise<void>
  close(): void
}

export async function openEvents(
  client: ApiClient,
  options: { lastEventId?: string } = {},
): Promise<EventStreamReader> {
  const abort = new AbortController()
  const response = await client.fetch('/events', {
    headers: {
      Accept: 'text/event-stream',
      ...(options.lastEventId ? { 'Last-Event-ID': options.lastEventId } : {}),
    },
    signal: abort.signal,
  })
  const queue: StreamEvent[] = []
  const waiting: { resolve: (event: StreamEvent) => void; reject: (error: Error) => void }[] = []
  let done = false
  const ended = (async () => {
    if (!response.body || !response.ok) return
    const decoder = new TextDecoder()
    let text = ''
    try {
      for await (const chunk of response.body) {
        text += decoder.decode(chunk as Uint8Array, { stream: true })
        let boundary = text.indexOf('\n\n')
        while (boundary >= 0) {
          const parsed = parseFrame(text.slice(0, boundary))
          text = text.slice(boundary + 2)
          if (parsed) {
            const waiter = waiting.shift()
            if (waiter) waiter.resolve(parsed)
            else queue.push(parsed)
          }
          boundary = text.indexOf('\n\n')
        }
      }
    } catch {
      // Aborted by close().
    }
  })().finally(() => {
    done = true
    for (const waiter of waiting.splice(0)) waiter.reject(new Error('the stream ended'))
  })
  const next = () => {
    const queued = queue.shift()
    if (queued) return Promise.resolve(queued)
    if (done) return Promise.reject(new Error('the stream ended'))
    return new Promise<StreamEvent>((resolve, reject) => waiting.push({ resolve, reject }))
  }
  return {
    status: response.status,
    headers: response.headers,
    next,
    async nextOf(event, matches = () => true) {
      for (;;) {
        const found = await next()
        if (found.event === event && matches(found.data as Record<string, unknown>)) return found
      }
    },
    ended,
    close: () => abort.abort(),
  }
}

function parseFrame(frame: string): StreamEvent | undefined {
  let id: string | undefined
  let event = 'message'
  const data: string[] = []
  for (const line of frame.split('\n')) {
    if (line.startsWith(':') || line === '') continue
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'id') id = value
    else if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  if (data.length === 0) return undefined
  return { id, event, data: JSON.parse(data.join('\n')) }
}
