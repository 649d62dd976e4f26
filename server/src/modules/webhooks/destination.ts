import dns from 'node:dns/promises';
import net from 'node:net';

/**
 * Loopback, private, link-local (cloud metadata), shared, unspecified, benchmarking, documentation,
 * multicast and reserved ranges, and IPv6 forms that reach IPv4 (mapped, NAT64): not for webhooks by default.
 */
const internal = new net.BlockList();
for (const [prefix, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(prefix, bits, 'ipv4');
}
for (const [prefix, bits] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
] as const) {
  internal.addSubnet(prefix, bits, 'ipv6');
}

export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return internal.check(mapped[1], 'ipv4');
  // The same mapping written in hex (::ffff:7f00:1 is 127.0.0.1).
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return internal.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return internal.check(address, net.isIPv6(address) ? 'ipv6' : 'ipv4');
}

/**
 * Why a webhook may not be sent to this URL, or null when it may: every address its host resolves
 * to must be public, unless the desk allows internal destinations (FRONTLINE_WEBHOOKS_ALLOW_INTERNAL).
 */
export async function refusedDestination(url: string, allowInternal: boolean): Promise<string | null> {
  if (allowInternal) return null;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true })).map((a) => a.address);
  } catch {
    return null; // unknown hosts fail at delivery, visibly, like any unreachable receiver
  }
  const blocked = addresses.find(isInternalAddress);
  return blocked ? `${host} resolves to the internal address ${blocked}` : null;
}
