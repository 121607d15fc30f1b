// A bounded load generator: a few clients, each sending one request after another over
// keep-alive connections, as a browser or an ingress would, at most one per `intervalMs`
// (people do not hammer, and the API limits each client address), until stopped. Every answer
// is counted; a failure (a network error, a 5xx, or an answer the request did not expect) is
// kept with its reason, so a test can say exactly what was sent and what failed.

export interface LoadReport {
  sent: number
  failed: number
  /** Reason → count, e.g. "503 GET /api/v1/tickets" or "ECONNRESET". */
  failures: Record<string, number>
}

export interface Load {
  /** Stops after the requests in flight and reports. */
  stop(): Promise<LoadReport>
  /** Requests answered so far (to wait until the load is really flowing). */
  sent(): number
}

/** One request of the load; resolves when it succeeded, throws (with a reason) when not. */
export type LoadStep = (client: number, sequence: number) => Promise<void>

export function startLoad(step: LoadStep, { clients = 4, intervalMs = 125 } = {}): Load {
  let stopping = false
  const report: LoadReport = { sent: 0, failed: 0, failures: {} }
  const loop = async (client: number) => {
    for (let sequence = 0; !stopping; sequence++) {
      const next = Date.now() + intervalMs
      try {
        await step(client, sequence)
      } catch (error) {
        const reason = reasonOf(error)
        report.failed++
        report.failures[reason] = (report.failures[reason] ?? 0) + 1
      }
      report.sent++
      const pause = next - Date.now()
      if (pause > 0 && !stopping) await new Promise((resolve) => setTimeout(resolve, pause))
    }
  }
  const loops = Array.from({ length: clients }, (_, client) => loop(client))
  return {
    sent: () => report.sent,
    async stop() {
      stopping = true
      await Promise.all(loops)
      return report
    },
  }
}

function reasonOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause
  if (cause?.code) return cause.code
  return error instanceof Error ? error.message.slice(0, 120) : String(error)
}

/** Waits until the load has sent `count` more requests than now. */
export async function whileLoaded(load: Load, count = 20): Promise<void> {
  const target = load.sent() + count
  while (load.sent() < target) await new Promise((resolve) => setTimeout(resolve, 100))
}
