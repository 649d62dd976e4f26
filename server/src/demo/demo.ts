import type { AppContext } from '../platform/context.js';

/** Placeholder replaced by the demo desk loader. */
export async function loadDemo(_ctx: AppContext): Promise<{ tickets: number; password: string; sampleEmail: string } | null> {
  return null;
}
