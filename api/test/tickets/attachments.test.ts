// Attachments end to end, twice: production shape (Postgres, Redis, MinIO through S3) and
// embedded mode (PGlite, memory sessions, a local directory). Uploads stream through
// multipart into storage; downloads are safe attachments; nothing is left after a refusal.
import { createHash, randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { Environment } from '../../src/config.ts'
import { type ApiClient, createTestUser, signIn, type TestUser } from '../support/accounts.ts'
import { startTestApp, type TestApp } from '../support/app.ts'
import { form, s3Environment, storedObjects } from '../support/uploads.ts'

const LIMIT = 1024 * 1024
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

interface Attachment {
  id: string
  filename: string
  size: number
  contentType: string
  sha256: string
  messageId: string | null
  previewable: boolean
}

/**
 * A multipart body sent chunked (no Content-Length) with a file of `size` random bytes
 * produced on the fly: only streaming can notice that it is too large.
 */
function streamedForm(size: number) {
  const boundary = `----helpdesk${randomBytes(8).toString('hex')}`
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  let sent = 0
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(head)
    },
    pull(controller) {
      if (sent >= size) {
        controller.enqueue(tail)
        controller.close()
        return
      }
      const chunk = randomBytes(Math.min(64 * 1024, size - sent))
      sent += chunk.length
      controller.enqueue(chunk)
    },
  })
  return { body, contentType: `multipart/form-data; boundary=${boundary}` }
}

describe.each([
  ['S3 (MinIO)', s3Environment],
  ['embedded (local directory)', async (): Promise<Environment> => ({})],
])('attachments on %s', (_name, environmentOf) => {
  let api: TestApp
  let environment: Environment
  let customer: { user: TestUser; client: ApiClient }
  let agent: { user: TestUser; client: ApiClient }
  let stranger: ApiClient
  let ticketId: string
  let firstMessageId: string

  const upload = (client: ApiClient, body: FormData, ticket = ticketId) =>
    client.fetch(`/tickets/${ticket}/attachments`, { method: 'POST', body })

  beforeAll(async () => {
    environment = { ...(await environmentOf()), HELPDESK_MAX_ATTACHMENT_BYTES: String(LIMIT) }
    api = await startTestApp(environment)
    const [customerUser, agentUser, strangerUser] = await Promise.all([
      createTestUser(api, { role: 'customer' }),
      createTestUser(api, { role: 'agent' }),
      createTestUser(api, { role: 'customer' }),
    ])
    customer = { user: customerUser, client: await signIn(api, customerUser) }
    agent = { user: agentUser, client: await signIn(api, agentUser) }
    stranger = await signIn(api, strangerUser)
    const created = await customer.client.post('/tickets', { subject: 'Logs', body: 'See files' })
    ticketId = (created.body as { id: string }).id
    const messages = await customer.client.get(`/tickets/${ticketId}/messages`)
    firstMessageId = (messages.body as { items: { id: string }[] }).items[0]?.id as string
  }, 120_000)
  afterAll(() => api.close())

  it('stores an upload with its size and sha256 and serves it back as a download', async () => {
    const bytes = Buffer.from('Error 500 at /exports/invoices\n')
    const response = await upload(
      customer.client,
      form({ name: 'export-error.txt', type: 'text/plain', bytes }, { messageId: firstMessageId }),
    )
    const attachment = (await response.json()) as Attachment
    expect(response.status).toBe(201)
    expect(attachment).toMatchObject({
      filename: 'export-error.txt',
      size: bytes.length,
      contentType: 'text/plain; charset=utf-8',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      messageId: firstMessageId,
    })
    const download = await customer.client.fetch(`/attachments/${attachment.id}`)
    expect(download.status).toBe(200)
    expect(Buffer.from(await download.arrayBuffer())).toEqual(bytes)
    expect(download.headers.get('content-disposition')).toBe(
      'attachment; filename="export-error.txt"',
    )
    expect(download.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
    expect(download.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    const messages = await agent.client.get(`/tickets/${ticketId}/messages`)
    expect(messages.body).toMatchObject({
      items: [{ id: firstMessageId, attachments: [{ id: attachment.id }] }],
    })
  })

  it('types files by their bytes, never by the name or type the client claims', async () => {
    const png = await upload(
      customer.client,
      form({ name: 'picture.html', type: 'text/html', bytes: PNG }),
    )
    expect(await png.json()).toMatchObject({ contentType: 'image/png', filename: 'picture.html' })
    const html = await upload(
      customer.client,
      form({
        name: 'page.html',
        type: 'text/html',
        bytes: Buffer.from('<!doctype html><script>alert(document.cookie)</script>'),
      }),
    )
    const stored = (await html.json()) as Attachment
    expect(stored.contentType).toBe('text/plain; charset=utf-8')
    const svg = await upload(
      customer.client,
      form({
        name: 'logo.svg',
        type: 'image/svg+xml',
        bytes: Buffer.from(
          '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        ),
      }),
    )
    expect(((await svg.json()) as Attachment).contentType).not.toMatch(/svg|xml|html/)
    const binary = await upload(customer.client, form({ name: 'blob', bytes: randomBytes(300) }))
    expect(((await binary.json()) as Attachment).contentType).toBe('application/octet-stream')
    const download = await agent.client.fetch(`/attachments/${stored.id}`)
    expect(download.headers.get('content-type')).toBe('text/plain; charset=utf-8')
    expect(download.headers.get('content-disposition')).toMatch(/^attachment;/)
  })

  it('shows raster images inline as previews, and nothing else', async () => {
    const image = (await (
      await upload(
        customer.client,
        form({ name: 'screen shot.png', type: 'image/png', bytes: PNG }),
      )
    ).json()) as Attachment
    expect(image).toMatchObject({ contentType: 'image/png', previewable: true })
    const preview = await agent.client.fetch(`/attachments/${image.id}/preview`)
    expect(preview.status).toBe(200)
    expect(Buffer.from(await preview.arrayBuffer())).toEqual(PNG)
    expect(preview.headers.get('content-type')).toBe('image/png')
    expect(preview.headers.get('content-disposition')).toBe('inline; filename="screen shot.png"')
    expect(preview.headers.get('x-content-type-options')).toBe('nosniff')
    expect(preview.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox")
    expect(preview.headers.get('cache-control')).toBe('private, no-store')

    // An SVG (stored as text) or any other file: a download only, said so.
    const svg = (await (
      await upload(
        customer.client,
        form({
          name: 'logo.svg',
          type: 'image/svg+xml',
          bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>'),
        }),
      )
    ).json()) as Attachment
    expect(svg.previewable).toBe(false)
    const refused = await agent.client.fetch(`/attachments/${svg.id}/preview`)
    expect(refused.status).toBe(409)
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(await refused.json()).toMatchObject({
      type: 'not_previewable',
      detail: 'text/plain; charset=utf-8 is served as a download only',
    })
    // Who cannot see the ticket cannot see its pictures either.
    expect((await stranger.fetch(`/attachments/${image.id}/preview`)).status).toBe(404)
  })

  it('sanitizes file names', async () => {
    const names: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['C:\\Users\\carla\\report.pdf', 'report.pdf'],
      ['invoice\u202Egpj.exe', 'invoicegpj.exe'],
      ['  ..hidden  ', 'hidden'],
      ['con.txt', '_con.txt'],
      ['a*b<c>|d?.txt', 'abcd.txt'],
      ['', 'attachment'],
      [`${'é'.repeat(200)}.log`, `${'é'.repeat(125)}.log`],
    ]
    for (const [sent, expected] of names) {
      const response = await upload(customer.client, form({ name: sent, bytes: Buffer.from('x') }))
      expect({ sent, filename: ((await response.json()) as Attachment).filename }).toEqual({
        sent,
        filename: expected,
      })
    }
  })

  it('answers 413 above the limit, declared or streamed, and keeps nothing', async () => {
    const before = await storedObjects(api, environment)
    const declared = await upload(
      customer.client,
      form({ name: 'big.bin', bytes: randomBytes(LIMIT + 70 * 1024) }),
    )
    expect(declared.status).toBe(413)
    const streamed = streamedForm(LIMIT + 1)
    const answer = await customer.client.fetch(`/tickets/${ticketId}/attachments`, {
      method: 'POST',
      headers: { 'Content-Type': streamed.contentType },
      body: streamed.body,
      duplex: 'half',
    } as RequestInit)
    expect(answer.status).toBe(413)
    expect(await answer.json()).toMatchObject({ type: 'payload_too_large' })
    // A file of exactly the limit is fine.
    const atLimit = streamedForm(LIMIT)
    const accepted = await customer.client.fetch(`/tickets/${ticketId}/attachments`, {
      method: 'POST',
      headers: { 'Content-Type': atLimit.contentType },
      body: atLimit.body,
      duplex: 'half',
    } as RequestInit)
    expect(accepted.status).toBe(201)
    const { id } = (await accepted.json()) as Attachment
    expect((await storedObjects(api, environment)).sort()).toEqual(
      [...before, `tickets/${ticketId}/${id}`].sort(),
    )
  })

  it('refuses what is not one file in multipart/form-data', async () => {
    const json = await customer.client.post(`/tickets/${ticketId}/attachments`, { file: 'x' })
    expect(json.status).toBe(415)
    const noFile = new FormData()
    noFile.set('messageId', firstMessageId)
    expect((await upload(customer.client, noFile)).status).toBe(400)
    const two = form({ name: 'a.txt', bytes: Buffer.from('a') })
    two.append('file', new Blob([Buffer.from('b')]), 'b.txt')
    expect((await upload(customer.client, two)).status).toBe(400)
    const extraField = form({ name: 'a.txt', bytes: Buffer.from('a') }, { comment: 'hi' })
    expect((await upload(customer.client, extraField)).status).toBe(400)
  })

  it('links to messages of this ticket the uploader may attach to, and nothing else', async () => {
    const note = await agent.client.post(`/tickets/${ticketId}/messages`, {
      body: 'internal',
      internal: true,
    })
    const noteId = (note.body as { id: string }).id
    const before = await storedObjects(api, environment)
    for (const [messageId, status] of [
      [noteId, 422],
      [crypto.randomUUID(), 422],
      // Not an id at all: the form field is invalid input, as the document says.
      ['not-an-id', 400],
    ] as const) {
      const response = await upload(
        customer.client,
        form({ name: 'a.txt', bytes: Buffer.from('a') }, { messageId }),
      )
      expect({ messageId, status: response.status }).toEqual({ messageId, status })
    }
    expect(await storedObjects(api, environment)).toEqual(before)
    const onNote = await upload(
      agent.client,
      form({ name: 'trace.txt', bytes: Buffer.from('trace') }, { messageId: noteId }),
    )
    expect(onNote.status).toBe(201)
    const { id } = (await onNote.json()) as Attachment
    // A file on an internal note is as hidden from the customer as the note.
    expect((await customer.client.fetch(`/attachments/${id}`)).status).toBe(404)
    expect((await agent.client.fetch(`/attachments/${id}`)).status).toBe(200)
  })

  it('keeps other customers out: 404 for their uploads and downloads', async () => {
    const response = await upload(stranger, form({ name: 'a.txt', bytes: Buffer.from('a') }))
    expect(response.status).toBe(404)
    const own = await upload(customer.client, form({ name: 'mine.txt', bytes: Buffer.from('m') }))
    const { id } = (await own.json()) as Attachment
    expect((await stranger.fetch(`/attachments/${id}`)).status).toBe(404)
    expect((await stranger.fetch(`/attachments/${crypto.randomUUID()}`)).status).toBe(404)
  })

  it('takes no files on a closed ticket', async () => {
    const created = await customer.client.post('/tickets', { subject: 'Done', body: 'Done' })
    const id = (created.body as { id: string }).id
    await agent.client.patch(`/tickets/${id}`, { status: 'closed' })
    const response = await upload(
      agent.client,
      form({ name: 'a.txt', bytes: Buffer.from('a') }),
      id,
    )
    expect(response.status).toBe(409)
  })
})
