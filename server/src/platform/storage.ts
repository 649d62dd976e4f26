import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';

/** Where attachment bytes live. Local folder now; an S3 implementation can follow the same shape. */
export interface Storage {
  put(data: Buffer): Promise<string>;
  get(key: string): Promise<Buffer>;
  /** Removes bytes nothing refers to (a write that named them was refused); a missing key is fine. */
  remove(key: string): Promise<void>;
  /** Where the bytes lie on this machine, when they do: a worker thread can then read them itself. */
  fileOf?(key: string): string;
  /** Every stored key with when it was written; `partial` marks a write that never finished (a crash). */
  list?(): AsyncIterable<StoredEntry>;
  /** Removes what a write that never finished left behind. */
  removePartial?(name: string): Promise<void>;
}

export type StoredEntry = { name: string; writtenAt: Date; partial: boolean };

const keyPattern = /^[a-f0-9]{2}\/[a-f0-9-]{36}$/;

export class LocalStorage implements Storage {
  constructor(private readonly root: string) {}

  fileOf(key: string) {
    if (!keyPattern.test(key)) throw new Error('bad storage key');
    return path.join(this.root, key);
  }

  async put(data: Buffer): Promise<string> {
    const id = crypto.randomUUID();
    const key = `${id.slice(0, 2)}/${id}`;
    const file = this.fileOf(key);
    const folder = path.dirname(file);
    await fs.mkdir(folder, { recursive: true });
    // Written and flushed to disk, then renamed and the folder flushed: bytes a caller acknowledges
    // (an SMTP 250) survive a power cut, and a crash never leaves a half file under a real key.
    const tmp = await fs.open(`${file}.tmp`, 'w');
    try {
      await tmp.writeFile(data);
      await tmp.datasync();
    } finally {
      await tmp.close();
    }
    await fs.rename(`${file}.tmp`, file);
    const dir = await fs.open(folder, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
    return key;
  }

  get(key: string): Promise<Buffer> {
    return fs.readFile(this.fileOf(key));
  }

  remove(key: string): Promise<void> {
    return fs.rm(this.fileOf(key), { force: true });
  }

  async *list(): AsyncIterable<StoredEntry> {
    const folders = await fs.readdir(this.root).catch(() => [] as string[]);
    for (const folder of folders.filter((f) => /^[a-f0-9]{2}$/.test(f)).sort()) {
      for (const file of (await fs.readdir(path.join(this.root, folder)).catch(() => [] as string[])).sort()) {
        const name = `${folder}/${file}`;
        const partial = name.endsWith('.tmp') && keyPattern.test(name.slice(0, -4));
        if (!partial && !keyPattern.test(name)) continue;
        const stat = await fs.stat(path.join(this.root, name)).catch(() => undefined);
        if (stat?.isFile()) yield { name, writtenAt: stat.mtime, partial };
      }
    }
  }

  removePartial(name: string): Promise<void> {
    if (!name.endsWith('.tmp')) throw new Error('not a partial write');
    return fs.rm(`${this.fileOf(name.slice(0, -4))}.tmp`, { force: true });
  }
}
