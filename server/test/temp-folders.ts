import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Folders a test suite makes under the system's temp folder, removed together when it ends:
 * data folders of killed processes run to tens of megabytes each, and every run would leave them.
 */
export function tempFolders(prefix: string) {
  const made: string[] = [];
  return {
    make(): string {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `frontline-${prefix}-`));
      made.push(dir);
      return dir;
    },
    removeAll() {
      for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
