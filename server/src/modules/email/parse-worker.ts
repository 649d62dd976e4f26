import { parentPort } from 'node:worker_threads';
import { parseMime } from './parse-mime.js';

type Request = { id: number; raw: Uint8Array };

// Runs in a worker thread: parse, sanitise and trim off the main event loop.
parentPort?.on('message', async ({ id, raw }: Request) => {
  try {
    const parsed = await parseMime(raw);
    parentPort!.postMessage({ id, parsed }, parsed.attachments.map((a) => a.content.buffer as ArrayBuffer));
  } catch (err) {
    parentPort!.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
});
parentPort?.postMessage({ ready: true });
