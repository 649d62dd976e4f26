import { ConfigError, loadConfig } from './config.js';

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
  const [{ ensureFirstAdmin }, { createServer }, { loadDemo }, { serveWeb }] = await Promise.all([
    import('./bootstrap.js'),
    import('./server.js'),
    import('./demo/demo.js'),
    import('./web.js'),
  ]);
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

  await app.listen({ port: config.port, host: config.host });
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

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
