import { Socket } from 'node:net'
import path from 'node:path'
import { type ManagedService, manage, supervise, waitUntilReady } from './process.ts'
import { freePort, logFile, randomSecret, serviceDir, uniqueId } from './session.ts'
import { toolPath } from './tools.ts'

export interface RedisOptions {
  /** @default a free port */
  port?: number
}

export interface RedisInfo {
  host: string
  port: number
  password: string
  /** redis://:password@host:port */
  url: string
}

export interface RedisServer extends RedisInfo, ManagedService {}

/** A private Redis 7 on 127.0.0.1 with a password and RDB snapshots in a temporary dir. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const dir = serviceDir('redis')
  const port = options.port ?? (await freePort())
  const password = randomSecret()
  const info: RedisInfo = {
    host: '127.0.0.1',
    port,
    password,
    url: `redis://:${password}@127.0.0.1:${port}`,
  }
  const service = await manage('redis', dir, async () => {
    const child = supervise({
      name: 'redis',
      command: toolPath('redis-server'),
      args: [
        '--bind',
        '127.0.0.1',
        '--port',
        String(port),
        '--dir',
        path.join(dir),
        '--requirepass',
        password,
        '--save',
        '',
        '--appendonly',
        'no',
        '--protected-mode',
        'yes',
      ],
      log: logFile('redis'),
    })
    await waitUntilReady(child, () => ping(info))
    return child
  })
  return { ...info, ...service }
}

/** A unique key prefix, so test files sharing one Redis never see each other's keys. */
export function redisKeyPrefix(name = 'test'): string {
  return `${name}:${uniqueId()}:`
}

/** AUTH + PING over a raw socket: no client library needed to know Redis is up. */
function ping(info: RedisInfo): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = new Socket()
    let received = ''
    socket.setTimeout(1000, () => socket.destroy(new Error('timeout')))
    socket.on('error', reject)
    socket.on('data', (chunk) => {
      received += chunk.toString()
      if (received.includes('+PONG')) {
        socket.end()
        resolve(true)
      } else if (received.includes('-')) {
        socket.end()
        resolve(false)
      }
    })
    socket.connect(info.port, info.host, () => {
      socket.write(`AUTH ${info.password}\r\nPING\r\n`)
    })
  })
}
