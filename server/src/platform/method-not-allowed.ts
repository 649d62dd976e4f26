import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';

type Pattern = { test: RegExp; methods: string[] };

/** A route's path as a regular expression: `:id` is one segment, `*` the rest. */
function patternOf(url: string): RegExp {
  const escaped = url
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment === '*' ? '.*' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${escaped}/?$`);
}

/**
 * Which methods the app answers at a path, for the 405 a client gets when it uses another one
 * (`DELETE /api/v1/tickets`): its `Allow` header names them. The app's catch-all page (`/*`) is left
 * out, or every path would allow GET.
 */
export function methodsAt(routes: readonly RouteOptions[]) {
  let patterns: Pattern[] | undefined;
  return (path: string): string[] => {
    patterns ??= routes
      .filter((r) => r.url !== '/*' && r.url !== '*')
      .map((r) => ({ test: patternOf(r.url), methods: ([] as string[]).concat(r.method) }));
    const found = new Set<string>();
    for (const p of patterns) if (p.test.test(path)) p.methods.forEach((m) => found.add(m));
    return [...found].sort();
  };
}

/** Unknown routes: 405 with `Allow` when the path exists under other methods, else 404. */
export function registerNotFound(app: FastifyInstance, routes: readonly RouteOptions[]) {
  const at = methodsAt(routes);
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0];
    const allowed = at(path);
    if (allowed.length && !allowed.includes(req.method)) {
      return reply
        .status(405)
        .header('allow', allowed.join(', '))
        .send({ error: { code: 'method_not_allowed', message: `${req.method} is not allowed on ${path}; use ${allowed.join(', ')}` } });
    }
    return reply.status(404).send({ error: { code: 'not_found', message: `No route ${req.method} ${path}` } });
  });
}
