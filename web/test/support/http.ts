// A raw HTTP client for header assertions: unlike fetch it neither decompresses bodies nor
// merges repeated headers, so "exactly one CSP header" and "served gzipped" can be checked.
import { request } from 'node:http'

export interface RawResponse {
  status: number
  /** Lower-case name → every value sent under that name, in order. */
  headers: Map<string, string[]>
  body: Buffer
  header(name: string): string | undefined
}

export interface RawRequest {
  method?: string
  headers?: Record<string, string>
  body?: Buffer | string
}

export function rawRequest(url: string, options: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: options.method ?? 'GET', headers: options.headers })
    outgoing.on('error', reject)
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () => {
        const headers = new Map<string, string[]>()
        for (let index = 0; index < response.rawHeaders.length; index += 2) {
          const name = (response.rawHeaders[index] as string).toLowerCase()
          headers.set(name, [
            ...(headers.get(name) ?? []),
            response.rawHeaders[index + 1] as string,
          ])
        }
        resolve({
          status: response.statusCode ?? 0,
          headers,
          body: Buffer.concat(chunks),
          header: (name) => headers.get(name.toLowerCase())?.join(', '),
        })
      })
    })
    outgoing.end(options.body)
  })
}
