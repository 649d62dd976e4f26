import crypto from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** Argon2id with the library's memory-hard defaults. */
export const hashPassword = (password: string) => hash(password);

let decoy: Promise<string> | undefined;

/** Checks a password against its hash; with no hash, against a decoy, so both take as long. */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) {
    decoy ??= hash(crypto.randomBytes(16).toString('hex'));
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export const newToken = (prefix: string) => `${prefix}_${crypto.randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** A readable one-time password for the first admin. */
export const newPassword = () => crypto.randomBytes(12).toString('base64url');

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}
