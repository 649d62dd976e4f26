import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { AppContext } from '../../platform/context.js';
import { storeInbound } from './inbound-store.js';
import { allMailboxes } from './mailboxes.service.js';

const smtpError = (message: string, responseCode: number) => Object.assign(new Error(message), { responseCode });

/**
 * The message, or null once it went over `limit`: from then on the rest is read and dropped, so an
 * oversized message never sits in memory whole (the client must still finish DATA to hear 552).
 */
async function readWithin(stream: SMTPServerDataStream, limit: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of stream) {
    if (bytes > limit) continue;
    bytes += (chunk as Buffer).length;
    if (bytes > limit) chunks.length = 0;
    else chunks.push(chunk as Buffer);
  }
  return bytes > limit || stream.sizeExceeded ? null : Buffer.concat(chunks);
}

const MB = 1024 * 1024;

/**
 * The built-in receiver: mail for our mailboxes is written to disk and the database before the
 * 250 goes back, so a sender that heard "accepted" never loses its message.
 */
export async function startSmtpReceiver(ctx: AppContext, opts: { port: number; host: string }) {
  const limit = ctx.config.maxMessageBytes;
  const server = new SMTPServer({
    name: ctx.config.supportAddress.split('@')[1] || 'localhost',
    banner: 'Frontline',
    // Advertised in EHLO (SIZE); a MAIL FROM declaring more is refused with 552 before any data.
    size: limit,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    disableReverseLookup: true,
    logger: false,
    async onRcptTo(address, _session: SMTPServerSession, callback) {
      try {
        const wanted = address.address.toLowerCase();
        const boxes = await allMailboxes(ctx.db);
        if (!boxes.some((m) => m.active && m.address.toLowerCase() === wanted)) return callback(smtpError(`5.1.1 <${address.address}>: no such mailbox here`, 550));
        callback();
      } catch (err) {
        ctx.log.error({ err }, 'smtp: recipient check failed');
        callback(smtpError('4.3.0 temporary failure, try again later', 451));
      }
    },
    onData(stream, session, callback) {
      readWithin(stream, limit)
        .then(async (raw) => {
          if (!raw) return callback(smtpError(`5.3.4 message too big: the limit is ${limit} bytes (${limit / MB} MB)`, 552));
          const boxes = await allMailboxes(ctx.db);
          const rcpt = session.envelope.rcptTo.map((r) => r.address.toLowerCase());
          // Several of ours (To one, Cc another): processing picks by the message's To, then Cc.
          const ours = boxes.filter((m) => rcpt.includes(m.address.toLowerCase()));
          const mailbox = ours.length === 1 ? ours[0] : null;
          const mailFrom = session.envelope.mailFrom;
          const { id } = await storeInbound(ctx, {
            raw,
            source: 'smtp',
            mailboxId: mailbox?.id ?? null,
            envelopeFrom: mailFrom ? mailFrom.address : '',
            envelopeTo: rcpt,
          });
          callback(null, `2.0.0 queued as ${id}`);
        })
        .catch((err) => {
          ctx.log.error({ err }, 'smtp: could not store a message');
          callback(smtpError('4.3.0 could not store the message, try again later', 451));
        });
    },
  });
  server.on('error', (err) => ctx.log.error({ err }, 'smtp receiver error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  ctx.log.info({ port }, 'SMTP receiver listening');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
