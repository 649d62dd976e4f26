import fs from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { parseMime } from './parse-mime.js';

type Request = { id: number; raw?: Uint8Array; file?: string };

// Runs in a worker thread: read, parse, sanitise and trim off the main event loop.
parentPort?.on('message', async ({ id, raw, file }: Request) => {
  try {
    const parsed = await parseMime(raw ?? (await fs.readFile(file!)));
    parentPort!.postMessage({ id, parsed }, parsed.attachments.map((a) => a.content.buffer as ArrayBuffer));
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort?.postMessage({ ready: true });
