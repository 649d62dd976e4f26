import crypto from 'node:crypto';

/** A realistic big message: a short text part and one base64 attachment, about `bytes` long in all. */
export function largeMessage(bytes: number, messageId: string, from = 'big@example.com'): Buffer {
  const payload = crypto.randomBytes(Math.ceil((bytes * 3) / 4) + 1024);
  const b64 = payload.toString('base64').replace(/.{76}/g, '$&\r\n');
  const head = [
    `From: Big Sender <${from}>`,
    'To: support@localhost',
    'Subject: Large log bundle',
    `Message-ID: ${messageId}`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="big"',
    '',
    '--big',
    'Content-Type: text/plain; charset=UTF-8',
    '',
    'The full log bundle is attached.',
    '--big',
    'Content-Type: application/octet-stream; name="logs.bin"',
    'Content-Disposition: attachment; filename="logs.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    '',
  ].join('\r\n');
  return Buffer.concat([Buffer.from(head), Buffer.from(b64), Buffer.from('\r\n--big--\r\n')]);
}
