import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { SMTPServer } from 'smtp-server';
import { ensurePackage } from '../../../../scripts/debian.mjs';
import type { TestDesk } from '../../../test/harness.js';

const run = promisify(execFile);

/**
 * An SMTP server that keeps what it is sent: the far end of outbound mail in tests. `failFirst`
 * messages are deferred (451); recipients in `unknownUsers` are refused for good (550 on RCPT).
 */
export async function startSink(opts: { failFirst?: number; unknownUsers?: string[] } = {}) {
  const received: { from: string; to: string[]; raw: Buffer }[] = [];
  let refusals = opts.failFirst ?? 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (opts.unknownUsers?.includes(address.address.toLowerCase())) {
        return callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusals > 0) {
          refusals--;
          return callback(Object.assign(new Error('4.3.0 try later'), { responseCode: 451 }));
        }
        received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks) });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, url: `smtp://127.0.0.1:${port}`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Sends a raw message file with swaks (Debian), as a real MTA would; returns swaks' transcript. */
export async function swaks(port: number, args: { from: string; to: string; dataFile: string }) {
  const bin = ensurePackage('swaks', 'swaks');
  try {
    const { stdout } = await run(bin, ['--server', '127.0.0.1', '--port', String(port), '--from', args.from, '--to', args.to, '--data', `@${args.dataFile}`, '--suppress-data', '--timeout', '30'], {
      maxBuffer: 10 * 1024 * 1024,
    });
    return stdout;
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`swaks failed:\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

/** Runs due jobs until none is left (jobs run in the test, not on a timer). */
export async function drainJobs(desk: TestDesk, rounds = 50) {
  for (let i = 0; i < rounds; i++) if ((await desk.runner.runDue()) === 0) return;
}

/** The value of one header in raw message bytes (unfolded). */
export function headerOf(raw: Buffer | string, name: string): string | null {
  const text = raw.toString();
  const head = text.split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const m = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head);
  return m ? m[1].trim() : null;
}
