import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from '../../scripts/net.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export { freePort };

export type AppProcess = {
  child: ChildProcess;
  port: number;
  url: string;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name when killed by one). */
  exited: Promise<number | string>;
  /** Waits until stdout matches; fails when the process exits first or the time runs out. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  waitHealthy(timeoutMs?: number): Promise<{ node: string; database: string }>;
  stop(signal?: NodeJS.Signals): Promise<number | string>;
};

/**
 * Starts the real process entry (`node --import tsx server/src/main.ts`, or `npm start` as an
 * operator would) with only the given settings: the test's own FRONTLINE_* / DATABASE_URL
 * variables are not passed down.
 */
export async function spawnApp(env: Record<string, string>, opts: { npmStart?: boolean; cwd?: string } = {}): Promise<AppProcess> {
  const port = env.PORT && /^\d+$/.test(env.PORT) ? Number(env.PORT) : await freePort();
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('FRONTLINE_') && k !== 'DATABASE_URL' && k !== 'PORT'));
  // From another folder (opts.cwd), tsx and the entry are named by their full paths.
  const entry = opts.cwd ? [pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href, path.join(root, 'server/src/main.ts')] : ['tsx', 'server/src/main.ts'];
  const [command, args] = opts.npmStart ? ['npm', ['start']] : [process.execPath, ['--import', ...entry]];
  const child = spawn(command, args, {
    cwd: opts.cwd ?? root,
    env: { ...base, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const watchers = new Set<() => void>();
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const w of watchers) w();
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
  });
  let exitedWith: number | string | undefined;
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      exitedWith = code ?? signal ?? 'unknown';
      for (const w of watchers) w();
      resolve(exitedWith);
    }),
  );
  const url = `http://127.0.0.1:${port}`;

  // Generous: a cold start (tsx, PGlite, migrations) on a busy 2-core CI machine can take a minute.
  const waitForOutput = (pattern: RegExp, timeoutMs = 240_000) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = out.match(pattern);
        if (m) return done(() => resolve(m));
        if (exitedWith !== undefined) return done(() => reject(new Error(`process exited (${exitedWith}) before printing ${pattern}\nstdout:\n${out}\nstderr:\n${err}`)));
      };
      const done = (fn: () => void) => {
        watchers.delete(check);
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(() => done(() => reject(new Error(`no ${pattern} within ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`))), timeoutMs);
      watchers.add(check);
      check();
    });

  return {
    child,
    port,
    url,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitForOutput,
    async waitHealthy(timeoutMs = 240_000) {
      // The process prints this line after it listens; then /healthz proves the database answers.
      await waitForOutput(/Frontline is running at/, timeoutMs);
      const res = await fetch(`${url}/healthz`);
      if (res.status !== 200) throw new Error(`/healthz answered ${res.status}`);
      return (await res.json()) as { node: string; database: string };
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (exitedWith === undefined) child.kill(signal);
      return exited;
    },
  };
}

/** JSON over real HTTP to a running process. */
export async function call<T = any>(base: string, method: string, url: string, body?: unknown, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${url}`, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed as T };
}
