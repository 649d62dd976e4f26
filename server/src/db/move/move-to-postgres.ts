// `npm run move-to-postgres -- <postgres-url>`: moves the stopped embedded desk in FRONTLINE_DATA_DIR
// to an empty PostgreSQL database (docs/operations.md, "Moving to PostgreSQL").
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { ConfigError, loadConfig, StartError } from '../../config.js';
import { migrateDatabase, openDatabase } from '../client.js';
import { readTables, type Query } from './catalog.js';
import { copyDesk, frontlineTablesIn, MoveRefused, queryOf, refusal } from './copy-desk.js';

const say = (line = '') => process.stdout.write(line + '\n');

/** The address with its password hidden, for the terminal. */
function shown(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length !== 1 || !/^postgres(ql)?:\/\//.test(args[0]) || !URL.canParse(args[0])) {
    console.error('Usage: npm run move-to-postgres -- postgres://user:password@host:5432/database\n(FRONTLINE_DATA_DIR names the embedded desk to move; default ./data)');
    process.exit(2);
  }
  const url = args[0];
  const { dataDir } = loadConfig();
  // Checked before opening: opening an empty folder would make a new, empty desk there.
  if (!fs.existsSync(path.join(dataDir, 'pglite', 'PG_VERSION'))) {
    throw new MoveRefused(`No embedded desk in ${dataDir} (it has no pglite database). Set FRONTLINE_DATA_DIR to the desk's data folder.`);
  }
  const started = Date.now();
  // Takes the data folder's lock: refused while the desk runs, and no desk starts on it during the move.
  const desk = await openDatabase({ dataDir });
  const target = new pg.Client({ connectionString: url });
  try {
    const source: Query = async (text) => (await desk.db.execute(sql.raw(text))).rows as Record<string, unknown>[];
    try {
      await target.connect();
    } catch (err) {
      throw new MoveRefused(`Cannot reach the target database ${shown(url)}: ${(err as Error).message}`);
    }
    // Before the desk is touched: a target that is not empty is refused at once.
    const present = await frontlineTablesIn(queryOf(target), (await readTables(source)).map((t) => t.name));
    if (present.length) throw new MoveRefused(refusal(present));

    say(`Moving the embedded desk in ${dataDir} to ${shown(url)}`);
    // As starting the app would: the desk's own schema brought up to this version first.
    await migrateDatabase(desk);
    await source('begin isolation level repeatable read read only');
    const results = await copyDesk(source, target, say);
    await source('commit');

    const rows = results.reduce((n, r) => n + r.rows, 0);
    say('');
    say(`Moved ${rows} rows in ${results.length} tables in ${((Date.now() - started) / 1000).toFixed(1)} s; every table's count matches the desk's.`);
    say('');
    const attachments = path.join(dataDir, 'attachments');
    if (fs.existsSync(attachments)) {
      say(`Attachments stay where they are, in ${attachments}.`);
      say('Every app node needs that same folder as FRONTLINE_DATA_DIR/attachments (copy it to a shared');
      say('folder such as NFS and point FRONTLINE_DATA_DIR of every node there), then start the nodes with');
    } else {
      say(`This desk has no attachments yet (no ${attachments}). Give every app node the same shared`);
      say('FRONTLINE_DATA_DIR (NFS or similar) for the ones to come, then start the nodes with');
    }
    say(`  DATABASE_URL=${shown(url)}`);
    say(`The embedded database (${path.join(dataDir, 'pglite')}) is no longer used: keep it as a backup until the new desk is checked.`);
  } finally {
    await target.end().catch(() => undefined);
    await desk.close();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    if (err instanceof MoveRefused || err instanceof StartError) {
      console.error(err.message);
    } else {
      console.error(`The move failed: ${(err as Error).message ?? err}`);
      console.error('Nothing was written to the target database (the copy runs in one transaction), and the embedded desk keeps all its data.');
    }
    process.exit(1);
  },
);
