import { createHash } from 'node:crypto'
import { Transform } from 'node:stream'

/** Bytes buffered from a stream, taken out in exact amounts without re-copying the rest. */
export class ByteQueue {
  #pieces: Buffer[] = []
  #length = 0

  get length(): number {
    return this.#length
  }

  push(piece: Buffer): void {
    if (piece.length === 0) return
    this.#pieces.push(piece)
    this.#length += piece.length
  }

  /** Removes and returns the first `count` bytes (count <= length). */
  take(count: number): Buffer {
    const taken: Buffer[] = []
    let missing = count
    while (missing > 0) {
      const head = this.#pieces[0] as Buffer
      if (head.length <= missing) {
        taken.push(head)
        this.#pieces.shift()
        missing -= head.length
      } else {
        taken.push(head.subarray(0, missing))
        this.#pieces[0] = head.subarray(missing)
        missing = 0
      }
    }
    this.#length -= count
    return taken.length === 1 ? (taken[0] as Buffer) : Buffer.concat(taken, count)
  }

  /** The first `count` bytes, left in place. */
  peek(count: number): Buffer {
    const head = this.take(count)
    this.#pieces.unshift(head)
    this.#length += count
    return head
  }
}

/** What a {@link meter} saw once its stream has ended. */
export interface Measurement {
  bytes: number
  sha256: string
}

export interface Meter {
  stream: Transform
  /** Valid once the stream has flushed. */
  result(): Measurement
}

/** A pass-through that counts and hashes what flows by and reports progress. */
export function meter(onBytes?: (total: number) => void): Meter {
  const hash = createHash('sha256')
  let bytes = 0
  let digest: string | undefined
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk)
      bytes += chunk.length
      onBytes?.(bytes)
      callback(null, chunk)
    },
    flush(callback) {
      digest = hash.digest('hex')
      callback()
    },
  })
  return {
    stream,
    result() {
      if (digest === undefined) throw new Error('the stream has not ended yet')
      return { bytes, sha256: digest }
    },
  }
}

/**
 * A pass-through that only ends once `done` resolves, and fails if it rejects. Placed
 * after a child process's stdout, it holds back the end of the stream until the process
 * has exited successfully, so nothing downstream can finish on a truncated output.
 */
export function endsAfter(done: Promise<void>): Transform {
  return new Transform({
    transform(chunk, _encoding, callback) {
      callback(null, chunk)
    },
    flush(callback) {
      done.then(() => callback(), callback)
    },
  })
}
