// Every mail Helpdesk sends is a list of blocks rendered twice — a text part and an HTML part
// with every value escaped — inside one layout: the reply marker when answers are read back,
// the admin's signature, and a footer (why you get this, how to stop).

export type Block =
  | { kind: 'paragraph'; text: string }
  /** A ticket message quoted in full: who wrote it, when, and its text. */
  | { kind: 'message'; author: string; at: Date; text: string }
  /** A link people are meant to follow (a button in HTML). */
  | { kind: 'action'; label: string; url: string }
  /** Label/value lines: a ticket's facts. */
  | { kind: 'facts'; items: [string, string][] }
  | { kind: 'heading'; text: string }

export interface MailContent {
  subject: string
  blocks: Block[]
}

export interface Layout {
  signature: string
  /** The answer to this mail is read back into the ticket: say where to type it. */
  replyMarker?: boolean
  /** Footer lines (plain text; URLs are linked in HTML). */
  footer?: string[]
}

export interface RenderedMail {
  subject: string
  text: string
  html: string
}

/** Above this line is the answer; everything from it down is trimmed from inbound replies. */
export const REPLY_MARKER = '##- Please type your reply above this line -##'

export function renderMail(content: MailContent, layout: Layout): RenderedMail {
  return {
    subject: oneLine(content.subject),
    text: renderText(content, layout),
    html: renderHtml(content, layout),
  }
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, 250)
}

function renderText(content: MailContent, layout: Layout): string {
  const parts: string[] = []
  if (layout.replyMarker) parts.push(REPLY_MARKER)
  for (const block of content.blocks) parts.push(textBlock(block))
  if (layout.signature.trim()) parts.push(`-- \n${layout.signature.trim()}`)
  if (layout.footer?.length) parts.push(layout.footer.join('\n'))
  return `${parts.join('\n\n')}\n`
}

function textBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return block.text
    case 'heading':
      return `${block.text}\n${'='.repeat(Math.min(block.text.length, 72))}`
    case 'message':
      return `${block.author} wrote on ${formatDate(block.at)}:\n\n${block.text}`
    case 'action':
      return `${block.label}: ${block.url}`
    case 'facts':
      return block.items.map(([label, value]) => `${label}: ${value}`).join('\n')
  }
}

function renderHtml(content: MailContent, layout: Layout): string {
  const body: string[] = []
  if (layout.replyMarker) {
    body.push(`<p style="color:#6b7280;font-size:12px">${escapeHtml(REPLY_MARKER)}</p>`)
  }
  for (const block of content.blocks) body.push(htmlBlock(block))
  if (layout.signature.trim()) {
    body.push(`<p style="color:#374151">${multiline(layout.signature.trim())}</p>`)
  }
  if (layout.footer?.length) {
    body.push(
      `<p style="color:#6b7280;font-size:12px">${layout.footer.map(linkify).join('<br>')}</p>`,
    )
  }
  return `<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(oneLine(content.subject))}</title></head>
<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#111827;max-width:640px">
${body.join('\n')}
</body></html>
`
}

function htmlBlock(block: Block): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${multiline(block.text)}</p>`
    case 'heading':
      return `<h2 style="font-size:18px">${escapeHtml(block.text)}</h2>`
    case 'message':
      return `<div style="border-left:3px solid #d1d5db;padding-left:12px;margin:16px 0">
<p style="color:#6b7280;font-size:13px">${escapeHtml(block.author)} wrote on ${escapeHtml(formatDate(block.at))}:</p>
<p>${multiline(block.text)}</p></div>`
    case 'action':
      return `<p><a href="${escapeHtml(block.url)}" style="display:inline-block;padding:8px 16px;background:#1d4ed8;color:#ffffff;border-radius:4px;text-decoration:none">${escapeHtml(block.label)}</a></p>`
    case 'facts':
      return `<table role="presentation">${block.items
        .map(
          ([label, value]) =>
            `<tr><td style="color:#6b7280;padding-right:12px">${escapeHtml(label)}</td><td>${escapeHtml(value)}</td></tr>`,
        )
        .join('')}</table>`
  }
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

function multiline(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>')
}

/** http(s) URLs in an escaped footer line become links; nothing else does. */
function linkify(line: string): string {
  return escapeHtml(line).replace(
    /https?:\/\/[^\s<>"']+/g,
    (url) => `<a href="${url}" style="color:#6b7280">${url}</a>`,
  )
}

function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}
