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
}

export class LocalStorage implements Storage {
  constructor(private readonly root: string) {}

  fileOf(key: string) {
    if (!/^[a-f0-9]{2}\/[a-f0-9-]{36}$/.test(key)) throw new Error('bad storage key');
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
}
