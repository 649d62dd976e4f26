import type { ParsedEmail } from './parse-mime.js';
import { parsePool } from './parse-pool.js';

/**
 * Parses started as soon as a message is stored, so that during a burst the worker parses new
 * mail while the job runner writes earlier mail to the database. The job takes the result if this
 * node has it, and parses itself otherwise (another node stored it, the entry expired, a restart).
 * Bounded, so a backlog cannot hold parsed mail in memory.
 */
const MAX_ENTRIES = 500;
const MAX_BYTES = 64 * 1024 * 1024;
const TTL_MS = 60_000;

type Entry = { parsed: Promise<ParsedEmail>; bytes: number; at: number };
const ahead = new Map<string, Entry>();
let bytes = 0;

function drop(id: string) {
  const e = ahead.get(id);
  if (!e) return;
  ahead.delete(id);
  bytes -= e.bytes;
}

export function parseAhead(id: string, source: { file: string } | { raw: Buffer }, size: number) {
  const now = Date.now();
  for (const [key, e] of ahead) {
    if (now - e.at < TTL_MS) break; // oldest first: the rest are younger
    drop(key);
  }
  if (ahead.size >= MAX_ENTRIES || bytes + size > MAX_BYTES) return;
  const parsed = 'file' in source ? parsePool.parseFile(source.file) : parsePool.parse(source.raw);
  parsed.catch(() => {}); // a failure is the job's to report, when it takes the result
  ahead.set(id, { parsed, bytes: size, at: now });
  bytes += size;
}

/** The parse started for this message, if any; taken once. */
export function takeParsed(id: string): Promise<ParsedEmail> | undefined {
  const e = ahead.get(id);
  drop(id);
  return e?.parsed;
}
