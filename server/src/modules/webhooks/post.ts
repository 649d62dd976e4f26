import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isInternalAddress } from './destination.js';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** Why delivery stopped, as the delivery log shows it: a system code (ECONNREFUSED) or a sentence. */
export class PostError extends Error {}

/**
 * A DNS lookup that refuses internal addresses. It runs when the socket connects, so the address
 * checked is the address dialled: a name that resolves to a public address when checked and to an
 * internal one a moment later (DNS rebinding) is refused too.
 */
export function publicOnlyLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback) {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const blocked = addresses.find((a) => isInternalAddress(a.address));
    if (blocked) return callback(new PostError(`${hostname} resolves to the internal address ${blocked.address}`), []);
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/**
 * POSTs a body and answers the status code. Redirects are not followed (a 3xx is the receiver's
 * answer): following one would send the event wherever the receiver points, internal hosts included.
 */
export function postJson(url: string, headers: Record<string, string>, body: string, opts: { allowInternal: boolean; timeoutMs: number }): Promise<number> {
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!opts.allowInternal && net.isIP(host) && isInternalAddress(host)) {
    return Promise.reject(new PostError(`refused: ${host} is the internal address ${host}`));
  }
  const send = target.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': Buffer.byteLength(body) },
        ...(opts.allowInternal ? {} : { lookup: publicOnlyLookup }),
      },
      (res) => {
        // The answer's body is not kept: drain it so the socket is freed.
        res.resume();
        res.on('end', () => {
          clearTimeout(deadline);
          resolve(res.statusCode ?? 0);
        });
        res.on('error', (err) => reject(err));
      },
    );
    // The whole exchange, not only a silence: a receiver dripping bytes must not hold a job runner.
    const deadline = setTimeout(() => req.destroy(new PostError(`no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(deadline);
      reject(err instanceof PostError ? err : new PostError(err.code ?? err.message));
    });
    req.end(body);
  });
}
