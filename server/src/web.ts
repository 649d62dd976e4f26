import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { mailFrameHeightScriptHash } from '../../common/mail-frame.js';

export const webDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');

/**
 * The agent app loads nothing from elsewhere: its own scripts, styles (Mantine sets some inline),
 * images and the API's socket. Mail HTML is never rendered as a page, but if a bug ever let markup
 * through, no script of another origin could run and no page could frame the app.
 */
const appPolicy = [
  "default-src 'self'",
  // Plus the original-email frame's height report, by its hash: the frame inherits this policy.
  `script-src 'self' '${mailFrameHeightScriptHash}'`,
  "style-src 'self' 'unsafe-inline'",
  // Remote images only for the original-email frame, whose srcdoc inherits this policy: its own
  // stricter policy keeps them out until the agent clicks "Load remote images".
  "img-src 'self' data: blob: https: http:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const placeholder =
  '<!doctype html><meta charset="utf-8"><title>Frontline</title><p>Frontline API is running. The agent app is not built: run <code>npm start</code> (it builds it) or <code>node scripts/build-web.mjs</code>. See <a href="/api/docs">/api/docs</a>.</p>';

/** Serves the agent app (web/dist) at `/`, with the single-page fallback; the API works without it. */
export async function serveWeb(app: FastifyInstance, dist = webDist) {
  const built = existsSync(path.join(dist, 'index.html'));
  if (!built) {
    app.get('/', { config: { capability: 'public' }, schema: { hide: true } }, async (_req, reply) => reply.type('text/html').send(placeholder));
    return;
  }
  // Cache headers are ours (hashed assets immutable, the rest revalidated), not the plugin's default.
  await app.register(fastifyStatic, { root: dist, serve: false, cacheControl: false });

  app.get('/*', { config: { capability: 'public' }, schema: { hide: true } }, async (req, reply) => {
    const urlPath = decodeURIComponent(req.url.split('?')[0]);
    // Unknown API paths get the API's JSON 404 (or 405 for a known path); only app routes fall back to the page.
    if (urlPath.startsWith('/api/') || urlPath === '/api') {
      return reply.callNotFound();
    }
    const rel = path.normalize(urlPath).replace(/^([/\\])+/, '');
    const file = path.join(dist, rel);
    if (rel && file.startsWith(dist + path.sep) && existsSync(file) && statSync(file).isFile()) {
      // Hashed assets never change; everything else is revalidated.
      const immutable = rel.startsWith('assets' + path.sep);
      return reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache').sendFile(rel);
    }
    return reply.header('cache-control', 'no-cache').header('content-security-policy', appPolicy).type('text/html').sendFile('index.html');
  });
}
