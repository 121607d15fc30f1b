// Who is one client, for rate limits: an IPv4 address, or an IPv6 /64 — the block a single
// subscriber, host or VPS is given, and whose 2^64 addresses one client can rotate through.
import { isIPv4, isIPv6 } from 'node:net'

/** The rate-limit key of a client address: `198.51.100.7`, or `2001:db8:1:2::/64`. */
export function clientKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)
  if (mapped?.[1]) return mapped[1]
  if (isIPv4(address) || !isIPv6(address)) return address
  const prefix = ipv6Groups(address.replace(/%.*$/, '')).slice(0, 4)
  return `${prefix.map((group) => group.toString(16)).join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Groups(address: string): number[] {
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(address)
  let text = address
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    text = `${address.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = '', tail] = text.split('::')
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16))
  const front = parse(head)
  const back = tail === undefined ? [] : parse(tail)
  return [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back]
}
