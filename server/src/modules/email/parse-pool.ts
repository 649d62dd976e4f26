import { Worker } from 'node:worker_threads';
import type { ParsedEmail } from './parse-mime.js';

type Pending = { resolve: (p: ParsedEmail) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

const entry = new URL('./parse-worker-entry.mjs', import.meta.url);
const PARSE_TIMEOUT_MS = 120_000;

/** One parse worker, started on first use and restarted if it dies or hangs. */
class ParsePool {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private pending = new Map<number, Pending>();
  private next = 1;

  private start(): Promise<void> {
    const worker = new Worker(entry);
    worker.unref();
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (msg: { ready?: boolean; id?: number; parsed?: ParsedEmail; error?: string }) => {
        if (msg.ready) return resolve();
        const p = this.pending.get(msg.id!);
        if (!p) return;
        this.pending.delete(msg.id!);
        clearTimeout(p.timer);
        if (msg.error !== undefined) p.reject(new Error(`cannot parse message: ${msg.error}`));
        else p.resolve(msg.parsed!);
      });
    });
    worker.on('error', (err) => this.fail(worker, err));
    worker.on('exit', (code) => this.fail(worker, new Error(`parse worker exited (${code})`)));
    return this.ready;
  }

  private fail(worker: Worker, err: Error) {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    this.pending.clear();
  }

  /** Parses bytes already in memory (copied to the worker). */
  parse(raw: Buffer): Promise<ParsedEmail> {
    return this.request({ raw: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) });
  }

  /**
   * Parses a stored file, read by the worker itself: a 25 MB message is never allocated or copied
   * on this thread, where touching that much fresh memory alone stalls the event loop ~100 ms.
   */
  parseFile(file: string): Promise<ParsedEmail> {
    return this.request({ file });
  }

  private async request(input: { raw: Uint8Array } | { file: string }): Promise<ParsedEmail> {
    if (!this.worker) await this.start();
    else await this.ready;
    const worker = this.worker!;
    const id = this.next++;
    return new Promise<ParsedEmail>((resolve, reject) => {
      const timer = setTimeout(() => {
        // A parse that hangs takes the worker with it; the next call starts a fresh one.
        void worker.terminate();
        this.fail(worker, new Error('parsing took too long'));
      }, PARSE_TIMEOUT_MS);
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      worker.postMessage({ id, ...input });
    });
  }

  async close() {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}

export const parsePool = new ParsePool();
