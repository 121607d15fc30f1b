// A message's text as formatted Markdown. Loaded on demand (Conversation.tsx): the parser and
// the sanitizer stay out of the JavaScript every page loads first.
import { useMemo } from 'react'
import { renderMarkdown } from './markdown.ts'

export default function MarkdownBody({ text }: { text: string }) {
  const html = useMemo(() => renderMarkdown(text), [text])
  // renderMarkdown's output is sanitized to an allow-list of formatting tags.
  // biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by DOMPurify in markdown.ts
  return <div className="message-body markdown" dangerouslySetInnerHTML={{ __html: html }} />
}
