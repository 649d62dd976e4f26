import crypto from 'node:crypto';

/**
 * What the sender wrote, as one hash: two mails under one Message-ID are copies of one mail (SMTP
 * and an IMAP copy, two mailboxes, a resend) only when these are equal. A mailer that reuses ids
 * (a broken client, a script with a fixed id) sends different mails under one id: each is kept.
 *
 * Counted: the sender's address, the subject, the words of the body and the attached files'
 * decoded bytes. Not counted: headers relays add (Received, DKIM, X-*), the transport, the
 * transfer encoding and charset (the decoded text is compared), and white space (runs of it are
 * one space: relays re-fold lines and strip trailing spaces). A relay that rewrites the words
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

/** Each file's sha-256 in turn, hashed; null without files. Decoded bytes: a relay's re-encoding does not count. */
export function filesHash(files: Uint8Array[]): string | null {
  if (!files.length) return null;
  const hash = crypto.createHash('sha256');
  for (const f of files) hash.update(crypto.createHash('sha256').update(f).digest());
  return hash.digest('hex');
}

export function copyKeys(sender: string, words: string, files: string | null): CopyKeys {
  const withSender = sha256(`${sender.toLowerCase()}:${words}`);
  return { words: withSender, full: files ? sha256(`${withSender}:${files}`) : withSender };
}
