import fs from 'node:fs';
import { StartError } from '../config.js';

/** Makes the folder if needed and proves it can be written, so a bad FRONTLINE_DATA_DIR says so at once. */
export function ensureWritableFolder(folder: string): void {
  try {
    fs.mkdirSync(folder, { recursive: true });
    if (!fs.statSync(folder).isDirectory()) throw new Error('it is not a folder');
    fs.accessSync(folder, fs.constants.W_OK);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const why = e.code === 'EEXIST' || e.code === 'ENOTDIR' ? 'a file is in the way' : e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS' ? 'no permission to write there' : e.message;
    throw new StartError(`Cannot use the data folder ${folder}: ${why} (set FRONTLINE_DATA_DIR to a writable folder)`);
  }
}

/**
 * One process per embedded database folder: PGlite keeps the database in this process's memory
 * and writes it back, so a second process on the same folder would silently lose one side's
 * writes. The lock is a file holding the owner's pid; a lock whose process is gone (killed with
 * SIGKILL, a crash, a restarted container) is stale and taken over.
 */
export function lockDataFolder(folder: string, lockFile: string): () => void {
  const mine = ownerLine(process.pid);
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(lockFile, mine, { flag: 'wx' });
      break;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST' || attempt > 2) throw new StartError(`Cannot use the data folder ${folder}: ${(err as Error).message}`);
    }
    let held: string;
    try {
      held = fs.readFileSync(lockFile, 'utf8');
    } catch {
      continue; // removed meanwhile: try again
    }
    const owner = parseOwner(held);
    if (owner && owner.pid !== process.pid && isRunning(owner)) {
      throw new StartError(`The data folder ${folder} is in use by another Frontline process (pid ${owner.pid}); stop it first, or give this one another FRONTLINE_DATA_DIR`);
    }
    // Stale: remove it unless someone else has just taken it over.
    try {
      if (fs.readFileSync(lockFile, 'utf8') === held) fs.unlinkSync(lockFile);
    } catch {
      /* gone already */
    }
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (fs.readFileSync(lockFile, 'utf8') === mine) fs.unlinkSync(lockFile);
    } catch {
      /* gone already */
    }
  };
  // A crash that still runs exit handlers leaves no lock behind; SIGKILL does, and it is stale.
  process.on('exit', release);
  return release;
}

type Owner = { pid: number; started?: string };

function ownerLine(pid: number): string {
  return JSON.stringify({ pid, started: startTimeOf(pid) }) + '\n';
}

function parseOwner(text: string): Owner | null {
  try {
    const o = JSON.parse(text) as Owner;
    return Number.isInteger(o.pid) && o.pid > 0 ? o : null;
  } catch {
    return null; // half written by a process killed at that moment: stale
  }
}

/** The process's start time (Linux), so a pid reused by another program is not taken for the owner. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isRunning(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = startTimeOf(owner.pid);
  return !owner.started || !started || started === owner.started;
}
