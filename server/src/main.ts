import net from 'node:net';
import { ConfigError, loadConfig, StartError } from './config.js';

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  // Loaded only once the settings are good, so a bad one is reported at once.
  const [{ ensureFirstAdmin }, { createServer }, { loadDemo }, { serveWeb }, { ensureWritableFolder }] = await Promise.all([
    import('./bootstrap.js'),
    import('./server.js'),
    import('./demo/demo.js'),
    import('./web.js'),
    import('./db/data-folder.js'),
  ]);
  // Checked before anything is written, so a taken port does not fail after migrations and the first admin.
  await listenOrExplain(config.host, config.port, (o) => probeListen(o));
  if (config.databaseUrl) ensureWritableFolder(config.dataDir);
  const server = await createServer(config);
  const { ctx, app } = server;

  const admin = await ensureFirstAdmin(ctx);
  if (admin) {
    const lines = [
      '',
      '  First admin account created',
      `    email:    ${admin.email}`,
      admin.generated ? `    password: ${admin.password}   (shown once; change it after signing in)` : '    password: the one in FRONTLINE_ADMIN_PASSWORD',
      '',
    ];
    // Printed to the terminal, not the log, so the password never lands in log files.
    process.stdout.write(lines.join('\n') + '\n');
  }
  if (config.demo) {
    const loaded = await loadDemo(ctx);
    if (loaded) process.stdout.write(`  Demo desk loaded: ${loaded.tickets} tickets. Staff sign in with password "${loaded.password}" (e.g. ${loaded.sampleEmail}).\n\n`);
  }
  await serveWeb(app);

  await listenOrExplain(config.host, config.port, (o) => app.listen(o));
  process.stdout.write(`  Frontline is running at ${config.publicUrl} (database: ${ctx.database.kind}, data: ${config.databaseUrl ? 'PostgreSQL' : config.dataDir})\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    ctx.log.info({ signal }, 'draining requests and closing the database');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await server.close();
      process.exit(0);
    } catch (err) {
      ctx.log.error({ err }, 'unclean shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

type ListenOptions = { host: string; port: number };

/** Listens, turning the usual refusals into one line an operator can act on. */
async function listenOrExplain(host: string, port: number, listen: (o: ListenOptions) => Promise<unknown>) {
  try {
    await listen({ host, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const where = `${host}:${port}`;
    if (code === 'EADDRINUSE') throw new StartError(`Cannot listen on ${where}: the port is in use by another program (set PORT to a free one)`);
    if (code === 'EACCES') throw new StartError(`Cannot listen on ${where}: no permission for this port (ports below 1024 need privileges)`);
    if (code === 'EADDRNOTAVAIL') throw new StartError(`Cannot listen on ${where}: HOST is not an address of this machine`);
    if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') throw new StartError(`Cannot listen on ${where}: HOST does not resolve to an address`);
    throw err;
  }
}

/** Opens and closes the port once. */
function probeListen(o: ListenOptions): Promise<void> {
  const probe = net.createServer();
  return new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen({ ...o, exclusive: true }, () => probe.close(() => resolve()));
  });
}

main().catch((err) => {
  if (err instanceof StartError) {
    console.error(err.message);
    process.exit(1);
  }
  console.error(err);
  process.exit(1);
});
