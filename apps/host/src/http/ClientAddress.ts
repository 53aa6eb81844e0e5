import { BlockList, isIP } from "node:net"

/** IPv4-mapped IPv6 (`::ffff:127.0.0.1`) as plain IPv4, so one client has one key. */
export const normalizeAddress = (address: string): string => {
  const trimmed = address.trim()
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(trimmed)
  return mapped?.[1] ?? trimmed.toLowerCase()
}

/** The configured trusted proxies (`TRUSTED_PROXIES`: addresses and subnets) as a matcher. */
export const trustedProxyMatcher = (entries: ReadonlyArray<string>): ((address: string) => boolean) => {
  if (entries.length === 0) return () => false
  const list = new BlockList()
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/")
    const type = isIP(address) === 6 ? "ipv6" : "ipv4"
    if (prefix === undefined) list.addAddress(normalizeAddress(address), type)
    else list.addSubnet(normalizeAddress(address), Number(prefix), type)
  }
  return (address) => {
    const version = isIP(address)
    return version !== 0 && list.check(address, version === 6 ? "ipv6" : "ipv4")
  }
}

/**
 * The client address a request comes from. `X-Forwarded-For` is read only when the peer is a
 * trusted proxy, and then from the right: each proxy appends the address it saw, so the first
 * hop (from the right) that is not a trusted proxy is the client. Anything a client writes into
 * the header itself sits further left and is never reached.
 */
export const clientAddress = (
  peer: string | undefined,
  forwardedFor: string | undefined,
  isTrusted: (address: string) => boolean
): string => {
  let current = peer === undefined || peer.trim() === "" ? "unknown" : normalizeAddress(peer)
  if (forwardedFor === undefined || !isTrusted(current)) return current
  const hops = forwardedFor.split(",").map(normalizeAddress).filter((h) => h.length > 0)
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(current)) break
    const hop = hops[i]!
    // A hop that is not an address was not written by a proxy we trust: stop at the last good one.
    if (isIP(hop) === 0) break
    current = hop
  }
  return current
}
