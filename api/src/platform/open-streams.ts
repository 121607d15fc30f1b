/** One open event stream, as the registry sees it. */
export interface OpenStream {
  /** Counts events written to the client (the events-sent metric). */
  sent(count?: number): void
  /** Unregisters (the client went away or the stream ended). */
  closed(): void
}

/** Streams are refused beyond this many per process. */
export const DEFAULT_MAX_STREAMS = 10_000

/**
 * The long-lived responses of this process (server-sent events): counted for the metrics and
 * the per-process cap, and ended together when the server begins to shut down, so draining
 * never waits on them and their clients reconnect to another replica.
 */
export class OpenStreams {
  readonly #ends = new Set<() => void>()
  readonly #max: number
  #sent = 0
  #closing = false

  constructor(max = DEFAULT_MAX_STREAMS) {
    this.#max = max
  }

  get size(): number {
    return this.#ends.size
  }

  get sentTotal(): number {
    return this.#sent
  }

  /** Whether one more stream may open (not at the cap, not shutting down). */
  admits(): 'yes' | 'full' | 'closing' {
    if (this.#closing) return 'closing'
    return this.#ends.size >= this.#max ? 'full' : 'yes'
  }

  open(end: () => void): OpenStream {
    this.#ends.add(end)
    return {
      sent: (count = 1) => {
        this.#sent += count
      },
      closed: () => {
        this.#ends.delete(end)
      },
    }
  }

  /** Shutdown: ends every stream and refuses new ones. */
  endAll(): void {
    this.#closing = true
    for (const end of [...this.#ends]) end()
  }
}
