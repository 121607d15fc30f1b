// A stand-in for "off the machine": a network namespace of our own behind a veth, with a TCP
// listener on an address of the documentation range. The host reaches it by an ordinary route,
// so a packet a pod sends there is routed from the bridge to another interface exactly as one
// bound for the internet would be — and the node's filter must drop it. Tests prove the filter
// with it instead of relying on the host's own routes (a CI machine may have no default route,
// and then nothing would ever reach the filter).
import { type ChildProcess, spawn } from 'node:child_process'
import { once } from 'node:events'
import { run, tryRunSync } from './command.ts'
import { OUTSIDE } from './layout.ts'

export interface Outside {
  address: string
  port: number
  stop(): Promise<void>
}

const LISTENER = `
  const server = require('node:net').createServer((socket) => socket.end('outside\\n'))
  server.listen(Number(process.argv[2]), process.argv[1], () => console.log('listening'))
`

export async function startOutside(): Promise<Outside> {
  removeOutside()
  const { namespace, hostLink, peerLink, hostAddress, address, port, prefix } = OUTSIDE
  try {
    await run('ip', ['netns', 'add', namespace])
    await run('ip', ['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', peerLink])
    await run('ip', ['link', 'set', peerLink, 'netns', namespace])
    await run('ip', ['addr', 'add', `${hostAddress}/${prefix}`, 'dev', hostLink])
    await run('ip', ['link', 'set', hostLink, 'up'])
    await run('ip', ['-n', namespace, 'addr', 'add', `${address}/${prefix}`, 'dev', peerLink])
    await run('ip', ['-n', namespace, 'link', 'set', peerLink, 'up'])
    await run('ip', ['-n', namespace, 'link', 'set', 'lo', 'up'])
    await run('ip', ['-n', namespace, 'route', 'add', 'default', 'via', hostAddress])
    const listener = await listen()
    return {
      address,
      port,
      async stop() {
        listener.kill('SIGKILL')
        removeOutside()
      },
    }
  } catch (error) {
    removeOutside()
    throw error
  }
}

async function listen(): Promise<ChildProcess> {
  const { namespace, address, port } = OUTSIDE
  const child = spawn(
    'ip',
    ['netns', 'exec', namespace, process.execPath, '-e', LISTENER, address, String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const [ready] = await Promise.race([once(child.stdout, 'data'), once(child, 'exit')])
  if (!String(ready).includes('listening')) throw new Error('the outside listener did not start')
  return child
}

/** Synchronous and tolerant: also the teardown's step for a run killed while it existed. */
export function removeOutside(): void {
  const { namespace, hostLink } = OUTSIDE
  for (const pid of (tryRunSync('ip', ['netns', 'pids', namespace]) ?? '').split('\n')) {
    if (pid) tryRunSync('kill', ['-KILL', pid])
  }
  tryRunSync('ip', ['netns', 'delete', namespace])
  tryRunSync('ip', ['link', 'delete', hostLink])
}
