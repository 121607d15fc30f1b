import http from 'node:http'
import https from 'node:https'
import type { KubeConfig } from '@kubernetes/client-node'
import type { OperatorMetrics } from '../runtime/metrics.ts'
import { type KubeObject, type ObjectList, type ObjectReference, referenceTo } from './objects.ts'
import { resourcePath, resourceType } from './resources.ts'

/** The field manager of every server-side apply the operator makes. */
export const FIELD_MANAGER = 'helpdesk-operator'

const REQUEST_TIMEOUT_MS = 30_000
const LIST_PAGE_SIZE = 500

/** A failed API request: the HTTP status (0 when the server could not be reached) and reason. */
export class ApiError extends Error {
  readonly status: number
  /** metav1.Status reason: NotFound, AlreadyExists, Conflict, Invalid, Forbidden … */
  readonly reason: string

  constructor(method: string, path: string, status: number, reason: string, message: string) {
    super(`${method} ${path}: ${status || 'unreachable'} ${reason}: ${message}`)
    this.name = 'ApiError'
    this.status = status
    this.reason = reason
  }
}

export const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404
export const isConflict = (error: unknown) => error instanceof ApiError && error.status === 409

type PatchType = 'merge' | 'json' | 'apply'

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  apply: 'application/apply-patch+yaml',
}

interface RequestOptions {
  query?: Record<string, string | undefined>
  body?: unknown
  contentType?: string
}

/**
 * A small JSON client for the Kubernetes REST API. Authentication and TLS come from
 * @kubernetes/client-node's KubeConfig (kubeconfig files, in-cluster service accounts);
 * objects travel as the plain JSON the API server sends, so what the operator compares
 * and applies is exactly what is stored (the generated typed clients convert timestamps
 * and drop unknown fields). Every request is counted in the metrics.
 */
export class KubeClient {
  readonly #config: KubeConfig
  readonly #metrics: OperatorMetrics
  readonly #user: string
  readonly #server: URL
  #agent: http.Agent | undefined

  /** `user` names what the requests are for in the metrics: reconcilers, caches, leader-election. */
  constructor(config: KubeConfig, metrics: OperatorMetrics, user: string) {
    const cluster = config.getCurrentCluster()
    if (!cluster) throw new Error('the kubeconfig has no current cluster')
    this.#config = config
    this.#metrics = metrics
    this.#user = user
    this.#server = new URL(cluster.server)
  }

  async get<T extends KubeObject>(reference: ObjectReference): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', this.#objectPath(reference))
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw error
    }
  }

  /** Every object of a kind (all pages), in one namespace or in all. */
  async list<T extends KubeObject>(
    apiVersion: string,
    kind: string,
    { namespace, labelSelector }: { namespace?: string; labelSelector?: string } = {},
  ): Promise<ObjectList<T>> {
    const path = resourcePath(resourceType(apiVersion, kind), namespace)
    const items: T[] = []
    let page: ObjectList<T> | undefined
    do {
      page = await this.request<ObjectList<T>>('GET', path, {
        query: { labelSelector, limit: String(LIST_PAGE_SIZE), continue: page?.metadata.continue },
      })
      // List items carry no apiVersion and kind; the objects elsewhere always do.
      items.push(...page.items.map((item) => ({ ...item, apiVersion, kind })))
    } while (page.metadata.continue)
    return { items, metadata: page.metadata }
  }

  create<T extends KubeObject>(object: T): Promise<T> {
    const type = resourceType(object.apiVersion, object.kind)
    return this.request<T>('POST', resourcePath(type, object.metadata.namespace), {
      query: { fieldManager: FIELD_MANAGER },
      body: object,
    })
  }

  /** Replaces an object; fails with 409 when its resourceVersion is no longer current. */
  replace<T extends KubeObject>(object: T): Promise<T> {
    return this.request<T>('PUT', this.#objectPath(referenceTo(object)), {
      query: { fieldManager: FIELD_MANAGER },
      body: object,
    })
  }

  /** Server-side apply as `helpdesk-operator`, taking over conflicting fields (force). */
  apply<T extends KubeObject>(object: KubeObject, subresource?: 'status'): Promise<T> {
    return this.patch<T>(referenceTo(object), 'apply', object, subresource)
  }

  patch<T extends KubeObject>(
    reference: ObjectReference,
    type: PatchType,
    patch: unknown,
    subresource?: 'status',
  ): Promise<T> {
    return this.request<T>('PATCH', this.#objectPath(reference, subresource), {
      query: type === 'apply' ? { fieldManager: FIELD_MANAGER, force: 'true' } : {},
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
    })
  }

  /** Deletes an object; false when it was already gone. */
  async delete(reference: ObjectReference, preconditions?: { uid: string }): Promise<boolean> {
    try {
      await this.request('DELETE', this.#objectPath(reference), {
        body: {
          apiVersion: 'v1',
          kind: 'DeleteOptions',
          propagationPolicy: 'Background',
          preconditions,
        },
      })
      return true
    } catch (error) {
      if (isNotFound(error)) return false
      throw error
    }
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(path, this.#server)
    for (const [name, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(name, value)
    }
    const requestOptions: https.RequestOptions = {}
    await this.#config.applyToHTTPSOptions(requestOptions)
    this.#agent ??= this.#createAgent(requestOptions)
    const body = options.body === undefined ? undefined : JSON.stringify(options.body)
    try {
      const response = await send(url, {
        method,
        agent: this.#agent,
        headers: {
          ...(requestOptions.headers as http.OutgoingHttpHeaders),
          accept: 'application/json',
          ...(body === undefined
            ? {}
            : {
                'content-type': options.contentType ?? 'application/json',
                // Node sends DELETE bodies neither chunked nor with a length unless told:
                // the server would read the body as the next request on the connection.
                'content-length': Buffer.byteLength(body),
              }),
        },
        body,
      })
      this.#metrics.apiRequests.inc({ user: this.#user, method, code: String(response.status) })
      if (response.status >= 200 && response.status < 300) return response.json as T
      const status = response.json as { reason?: string; message?: string } | undefined
      throw new ApiError(
        method,
        url.pathname,
        response.status,
        status?.reason ?? 'Unknown',
        status?.message ?? response.text.slice(0, 500),
      )
    } catch (error) {
      if (error instanceof ApiError) throw error
      this.#metrics.apiRequests.inc({ user: this.#user, method, code: 'unreachable' })
      throw new ApiError(method, url.pathname, 0, 'Unreachable', (error as Error).message)
    }
  }

  #objectPath(reference: ObjectReference, subresource?: string): string {
    const type = resourceType(reference.apiVersion, reference.kind)
    return resourcePath(type, reference.namespace, reference.name, subresource)
  }

  /** One keep-alive agent with the kubeconfig's TLS settings, so requests reuse connections. */
  #createAgent(options: https.RequestOptions): http.Agent {
    if (this.#server.protocol === 'http:') return new http.Agent({ keepAlive: true })
    return new https.Agent({
      keepAlive: true,
      ca: options.ca,
      cert: options.cert,
      key: options.key,
      rejectUnauthorized: options.rejectUnauthorized,
      servername: options.servername,
    })
  }

  /** Closes idle connections, so a stopped operator leaves no sockets behind. */
  close(): void {
    this.#agent?.destroy()
    this.#agent = undefined
  }
}

interface RawResponse {
  status: number
  text: string
  json: unknown
}

function send(
  url: URL,
  options: { method: string; agent: http.Agent; headers: http.OutgoingHttpHeaders; body?: string },
): Promise<RawResponse> {
  const transport = url.protocol === 'http:' ? http : https
  return new Promise((resolve, reject) => {
    const request = transport.request(
      url,
      {
        method: options.method,
        agent: options.agent,
        headers: options.headers,
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('error', reject)
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown
          try {
            json = text ? JSON.parse(text) : undefined
          } catch {
            json = undefined
          }
          resolve({ status: response.statusCode ?? 0, text, json })
        })
      },
    )
    request.on('timeout', () =>
      request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)),
    )
    request.on('error', reject)
    request.end(options.body)
  })
}
