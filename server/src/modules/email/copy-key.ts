import crypto from 'node:crypto';

/**
 * What the sender wrote, as one hash: two mails under one Message-ID are copies of one mail (SMTP
 * and an IMAP copy, two mailboxes, a resend) only when these are equal. A mailer that reuses ids
 * (a broken client, a script with a fixed id) sends different mails under one id: each is kept.
 *
 * Counted: the sender's address, the subject, the words of the body and the attached files'
 * decoded bytes. Not counted: headers relays add (Received, DKIM, X-*), the transport, the
 * transfer encoding and charset (the decoded text is compared), line endings (files' too), and white
 * space (runs of it are one space: relays re-fold lines and strip trailing spaces). A relay that rewrites the words
 * (a disclaimer, rewritten links) makes a second message: a copy too many, never a mail lost.
 */
export type CopyKeys = {
  /** The hash stored with the message (email_messages.content_hash). */
  full: string;
  /** Without the files: all that messages stored before content_hash existed can be compared by. */
  words: string;
};

const sha256 = (s: string) => crypto.createHash('sha256').update(s).digest('hex');
const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Subject and body text, hashed: done in the parse worker, as a body may run to megabytes. */
export function wordsHash(subject: string | null, text: string | null): string {
  return sha256(JSON.stringify([flat(subject ?? ''), flat(text ?? '')]));
}

/**
 * Each file's sha-256 in turn, hashed; null without files. Decoded bytes: a relay's re-encoding does
 * not count. CRLF is read as LF: a file sent as plain text (7bit or quoted-printable, as calendar
 * invitations and logs often are) carries the line endings of the path it came by.
 */
export function filesHash(files: Uint8Array[]): string | null {
  if (!files.length) return null;
  const hash = crypto.createHash('sha256');
  for (const f of files) hash.update(linesHash(f));
  return hash.digest('hex');
}

function linesHash(f: Uint8Array): Buffer {
  const bytes = Buffer.from(f.buffer, f.byteOffset, f.byteLength);
  const hash = crypto.createHash('sha256');
  let from = 0;
  for (let at = bytes.indexOf('\r\n'); at !== -1; at = bytes.indexOf('\r\n', from)) {
    hash.update(bytes.subarray(from, at));
    from = at + 1;
  }
  return hash.update(bytes.subarray(from)).digest();
}

export function copyKeys(sender: string, words: string, files: string | null): CopyKeys {
  const withSender = sha256(`${sender.toLowerCase()}:${words}`);
  return { words: withSender, full: files ? sha256(`${withSender}:${files}`) : withSender };
}
