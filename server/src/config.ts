import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const BOOLEAN_WORDS = new Set(['true', 'false', '1', '0', 'yes', 'no', '']);

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v && v.trim() !== '' ? v.trim() : undefined));

/** A whole number; an empty value counts as unset (`PORT=` must not mean "any free port"). `message` replaces zod's words. */
const integer = (min: number, max: number, message?: string) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), z.coerce.number(message).int(message).min(min, message).max(max, message).optional());

/** Empty counts as unset, so the schema's default applies (a `VAR=` line in an env file means "not set"). */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

const TRUST_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** One entry of FRONTLINE_TRUST_PROXY as proxy-addr takes it: a name, an address, or address/prefix or /netmask. */
function trustEntryOk(entry: string): boolean {
  if (TRUST_NAMES.has(entry)) return true;
  const [address, range, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (!family || rest.length) return false;
  if (range === undefined) return true;
  if (/^\d+$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128);
  return family === 4 && net.isIPv4(range);
}

const envSchema = z.object({
  PORT: integer(0, 65535).transform((v) => v ?? 3000),
  HOST: optionalText.transform((v) => v ?? '0.0.0.0'),
  DATABASE_URL: optionalText.refine((v) => !v || /^postgres(ql)?:\/\//.test(v), {
    message: 'must start with postgres:// or postgresql://',
  }),
  // Empty counts as unset, as for every other setting: `FRONTLINE_DATA_DIR=` must not mean the current folder.
  FRONTLINE_DATA_DIR: optionalText.transform((v) => v ?? './data'),
  FRONTLINE_ADMIN_EMAIL: optionalText.pipe(z.email().optional()),
  FRONTLINE_ADMIN_PASSWORD: optionalText.pipe(z.string().min(10, 'must be at least 10 characters').optional()),
  FRONTLINE_DEMO: bool,
  FRONTLINE_PUBLIC_URL: optionalText.refine((v) => !v || (URL.canParse(v) && /^https?:$/.test(new URL(v).protocol)), {
    message: 'must be an http:// or https:// address, e.g. https://help.example.com',
  }),
  FRONTLINE_NODE_ID: optionalText,
  FRONTLINE_JOBS: unsetIfEmpty(z.enum(['on', 'off']).default('on')),
  FRONTLINE_SESSION_DAYS: integer(1, 365).transform((v) => v ?? 14),
  // Unset: on when the public address is https (a Secure cookie never travels over plain HTTP).
  FRONTLINE_COOKIE_SECURE: unsetIfEmpty(z.enum(['0', '1', 'true', 'false', 'yes', 'no']).optional()),
  FRONTLINE_WEBHOOKS_ALLOW_INTERNAL: bool,
  FRONTLINE_TRUST_PROXY: unsetIfEmpty(
    z
      .string()
      .trim()
      .default('loopback')
      .refine((v) => BOOLEAN_WORDS.has(v.toLowerCase()) || v.split(',').every((s) => trustEntryOk(s.trim())), {
        message: 'must be true, false, or a comma-separated list of addresses, subnets (10.0.0.0/8) or loopback/linklocal/uniquelocal',
      }),
  ),
  FRONTLINE_SUPPORT_ADDRESS: unsetIfEmpty(z.string().trim().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an email address').default('support@localhost')),
  FRONTLINE_SMTP_PORT: integer(0, 65535),
  FRONTLINE_SMTP_HOST: optionalText.transform((v) => v ?? '0.0.0.0'),
  FRONTLINE_MAX_MESSAGE_MB: integer(1, 40, 'must be a whole number of megabytes from 1 to 40').transform((v) => v ?? 40),
  FRONTLINE_SMTP_URL: optionalText.refine((v) => !v || /^smtps?:\/\//.test(v), { message: 'must start with smtp:// or smtps://' }),
  LOG_LEVEL: unsetIfEmpty(z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
});

export type Config = {
  port: number;
  host: string;
  databaseUrl?: string;
  dataDir: string;
  adminEmail?: string;
  adminPassword?: string;
  demo: boolean;
  publicUrl: string;
  nodeId: string;
  jobsEnabled: boolean;
  sessionDays: number;
  cookieSecure: boolean;
  /** Webhooks may post to loopback, private and link-local addresses (off: a desk is not a proxy into its network). */
  webhooksAllowInternal: boolean;
  /** Which proxies' X-Forwarded-* headers are believed (client address, HTTPS). */
  trustProxy: boolean | string[];
  logLevel: string;
  supportAddress: string;
  smtpPort?: number;
  smtpHost: string;
  smtpUrl?: string;
  /** The largest incoming message taken by SMTP, IMAP or HTTP, in bytes (FRONTLINE_MAX_MESSAGE_MB). */
  maxMessageBytes: number;
};

function trustProxyOf(v: string): boolean | string[] {
  const word = v.toLowerCase();
  if (word === 'true' || word === '1' || word === 'yes') return true;
  if (BOOLEAN_WORDS.has(word)) return false;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** A setting is wrong: the process exits 2 with this message. */
export class ConfigError extends Error {}
/** The process cannot start as set up (data folder in use or unwritable, port taken): it exits 1 with this message. */
export class StartError extends Error {}

/** Reads every setting once from the environment; a bad value names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.FRONTLINE_DATA_DIR),
    adminEmail: e.FRONTLINE_ADMIN_EMAIL,
    adminPassword: e.FRONTLINE_ADMIN_PASSWORD,
    demo: e.FRONTLINE_DEMO,
    publicUrl: e.FRONTLINE_PUBLIC_URL?.replace(/\/+$/, '') ?? `http://localhost:${e.PORT}`,
    nodeId: e.FRONTLINE_NODE_ID ?? `node-${process.pid}`,
    jobsEnabled: e.FRONTLINE_JOBS === 'on',
    sessionDays: e.FRONTLINE_SESSION_DAYS,
    cookieSecure: e.FRONTLINE_COOKIE_SECURE === undefined ? /^https:/i.test(e.FRONTLINE_PUBLIC_URL ?? '') : ['1', 'true', 'yes'].includes(e.FRONTLINE_COOKIE_SECURE),
    trustProxy: trustProxyOf(e.FRONTLINE_TRUST_PROXY),
    webhooksAllowInternal: e.FRONTLINE_WEBHOOKS_ALLOW_INTERNAL,
    logLevel: e.LOG_LEVEL,
    supportAddress: e.FRONTLINE_SUPPORT_ADDRESS.toLowerCase(),
    smtpPort: e.FRONTLINE_SMTP_PORT,
    smtpHost: e.FRONTLINE_SMTP_HOST,
    smtpUrl: e.FRONTLINE_SMTP_URL,
    maxMessageBytes: e.FRONTLINE_MAX_MESSAGE_MB * 1024 * 1024,
  };
}
