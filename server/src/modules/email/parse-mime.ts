import crypto from 'node:crypto';
import { simpleParser, type AddressObject, type HeaderValue } from 'mailparser';
import { filesHash, wordsHash } from './copy-key.js';
import { collapseQuoted } from './quotes.js';
import { htmlText, nestingDepth, sanitizeEmailHtml } from './sanitize.js';
import { storable } from '../../platform/text.js';

export type ParsedAddress = { address: string; name: string };
export type ParsedAttachment = { filename: string; contentType: string; contentId: string | null; inline: boolean; content: Uint8Array };

/** The root and the newest ids are what threads a reply; a chain of thousands (a list, a broken client) is cut. */
function newestReferences(ids: string[]): string[] {
  return ids.length > 100 ? [ids[0], ...ids.slice(-99)] : ids;
}

/** A message as the desk needs it: decoded, sanitised, quoted history split off. */
export type ParsedEmail = {
  messageId: string | null;
  /** Without a Message-ID: one made from what every copy of the message shares (see standInId); else null. */
  standInId: string | null;
  inReplyTo: string[];
  references: string[];
  subject: string;
  from: ParsedAddress | null;
  to: ParsedAddress[];
  cc: ParsedAddress[];
  replyTo: ParsedAddress | null;
  date: string | null;
  text: string;
  trimmedText: string;
  collapsed: boolean;
  html: string | null;
  remoteImages: number;
  attachments: ParsedAttachment[];
  /** Subject and words, and the attachments' contents, hashed here in the worker (a 25 MB body would hold the event loop): see copy-key.ts. */
  wordsHash: string;
  filesHash: string | null;
  /** Auto-Submitted, bulk or list mail: never answered automatically. */
  automated: boolean;
  bounce: boolean;
  /** Message-IDs quoted inside a bounce: the mail that bounced. */
  bouncedMessageIds: string[];
  bounceReason: string | null;
};

const ID = /<[^<>\s]+>/g;

/** A stray NUL or half surrogate in a header or body would make the message unstorable. */
const noNul = storable;

/** What we would write back into In-Reply-To and References: printable ASCII, well inside a mail line. */
const sendableId = /^<[\x21-\x7e]{1,250}>$/;

/** Message-ID values as `<id>` tokens, however the header spelled them; others are dropped. */
export function idsOf(value: string | string[] | undefined | null): string[] {
  // An id holds no white space: `< id >` and an id folded across lines inside its brackets are the id.
  const joined = noNul(Array.isArray(value) ? value.join(' ') : (value ?? '')).replace(/<([^<>]*)>/g, (_, inner: string) => `<${inner.replace(/\s+/g, '')}>`);
  let found: string[] = joined.match(ID) ?? [];
  // Some clients drop the angle brackets; keep bare ids rather than lose the thread. A word of an old
  // "In-Reply-To: your message of …" phrase that looks like one matches no mail and does no harm.
  if (!found.length) found = joined.split(/\s+/).filter((w) => /^[^\s<>@]+@[^\s<>@]+$/.test(w)).map((w) => `<${w}>`);
  return [...new Set(found.filter((id) => sendableId.test(id)))];
}

/**
 * A header as the sender wrote it, unfolded, for the id headers: mailparser brackets a bare
 * In-Reply-To whole (`<a@x b@y>`) and splits an id folded across lines into two.
 */
function rawHeader(lines: readonly { key: string; line: string }[], key: string): string | undefined {
  const found = lines.filter((l) => l.key === key).map((l) => l.line.slice(l.line.indexOf(':') + 1).replace(/\r?\n(?=[ \t])/g, ''));
  return found.length ? found.join(' ') : undefined;
}

/**
 * One mailbox, nothing more: `<a@x;b@y>` reaches us as one "address", and a mailer would send to
 * both (an acknowledgement fanned out to whoever the sender listed).
 */
const singleAddress = /^[^\s@,;:<>"()[\]\\]{1,64}@[^\s@,;:<>"()[\]\\]{1,255}$/;

function addresses(v: AddressObject | AddressObject[] | undefined): ParsedAddress[] {
  const list = Array.isArray(v) ? v : v ? [v] : [];
  const out: ParsedAddress[] = [];
  const add = (a: { address?: string; name?: string }) => {
    const address = noNul(a.address ?? '').toLowerCase();
    if (singleAddress.test(address)) out.push({ address, name: noNul(a.name ?? '') });
  };
  for (const group of list) {
    for (const a of group.value) {
      add(a);
      for (const member of a.group ?? []) add(member);
    }
  }
  return out;
}

const headerText = (h: HeaderValue | undefined): string => {
  if (h === undefined || h === null) return '';
  if (typeof h === 'string') return h;
  if (h instanceof Date) return h.toISOString();
  if (Array.isArray(h)) return h.map((x) => headerText(x as HeaderValue)).join(' ');
  if (typeof h === 'object' && 'value' in h) return String((h as { value: unknown }).value ?? '');
  return String(h);
};

function isAutomated(headers: Map<string, HeaderValue>): boolean {
  const auto = headerText(headers.get('auto-submitted')).trim().toLowerCase();
  if (auto && auto !== 'no') return true;
  const precedence = headerText(headers.get('precedence')).trim().toLowerCase();
  if (['bulk', 'list', 'junk', 'auto_reply'].includes(precedence)) return true;
  // mailparser folds the List-* headers into one `list` object (List-Id → list.id).
  const list = headers.get('list') as Record<string, unknown> | undefined;
  if (list && typeof list === 'object' && ('id' in list || 'unsubscribe' in list)) return true;
  if (headers.has('list-id') || headers.has('list-unsubscribe')) return true;
  if (headers.has('x-autoreply') || headers.has('x-autorespond')) return true;
  const suppress = headerText(headers.get('x-auto-response-suppress')).toLowerCase();
  return /\b(all|oof|autoreply)\b/.test(suppress);
}

const bounceSubject = /undeliver|returned (mail|to sender)|failure notice|delivery (status notification|failure|failed|has failed|problem)|mail delivery (failed|failure|system)|non-?delivery|could not be delivered|delivery to the following recipients? failed/i;

/**
 * A delivery report: RFC 3464 (multipart/report, delivery-status), or the older shape, mail from
 * the mailer daemon or postmaster that carries the failed message or says so in its subject. The
 * sender's name alone is not enough: a person at postmaster@ writes ordinary mail too.
 */
function isBounce(headers: Map<string, HeaderValue>, from: ParsedAddress | null, subject: string, parts: { contentType: string }[]): boolean {
  const type = headers.get('content-type') as { value?: string; params?: Record<string, string> } | undefined;
  if (type?.value?.toLowerCase() === 'multipart/report' && (type.params?.['report-type'] ?? '').toLowerCase() === 'delivery-status') return true;
  if (!from || !/^(mailer-daemon|postmaster)@/i.test(from.address)) return false;
  return bounceSubject.test(subject) || parts.some((p) => /^(message\/(delivery-status|rfc822)|text\/rfc822-headers)$/i.test(p.contentType));
}

/**
 * A message with no Message-ID reaches us once per path (SMTP and an IMAP copy, two mailboxes),
 * each copy with its own Received lines, so its bytes differ. What the sender wrote is the same:
 * an id made from that finds the second copy. Without a Date two such messages could be two real
 * ones (an alert sent twice), so none is made and each is kept.
 */
function standInId(parts: { from: ParsedAddress | null; to: ParsedAddress[]; cc: ParsedAddress[]; date: string | null; subject: string; text: string; html: string | null; files: Uint8Array[] }): string | null {
  if (!parts.date) return null;
  const hash = crypto.createHash('sha256');
  hash.update(JSON.stringify([parts.from?.address ?? '', parts.to.map((a) => a.address), parts.cc.map((a) => a.address), parts.date, parts.subject, parts.text, parts.html ?? '']));
  for (const f of parts.files) hash.update(crypto.createHash('sha256').update(f).digest());
  return `<no-message-id-${hash.digest('hex').slice(0, 40)}@frontline.invalid>`;
}

/** Real mail nests a few dozen levels; far beyond this is an attack or a broken generator. */
const MAX_HTML_DEPTH = 500;

/** Parses raw MIME; runs inside the parse worker so a 25 MB message never blocks the server. */
export async function parseMime(raw: Buffer | Uint8Array): Promise<ParsedEmail> {
  const bytes = Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  // Words of HTML-only mail come from our own pass below: mailparser's would spend many seconds on
  // pathological HTML (thousands of nested tags) before giving up, holding the parse worker.
  const mail = await simpleParser(bytes, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true, skipHtmlToText: true });
  const from = addresses(mail.from)[0] ?? null;
  // multipart/related mail may carry HTML alone; its words still make the message body.
  const source = typeof mail.html === 'string' ? noNul(mail.html) : null;
  // The sanitiser slows down with depth: such HTML is kept as plain words (the original stays in the raw mail).
  const tangled = source !== null && nestingDepth(source) > MAX_HTML_DEPTH;
  const html = tangled ? null : source;
  const words = tangled ? source.replace(/<[^>]*>/g, ' ').replace(/[ \t]+/g, ' ').trim() : '';
  const text = noNul(mail.text || words || (html ? htmlText(html) : '')).replace(/\r\n/g, '\n');
  const { trimmed, collapsed } = collapseQuoted(text);
  const cleaned = html !== null ? sanitizeEmailHtml(html) : null;
  const bounce = isBounce(mail.headers, from, noNul(mail.subject ?? ''), mail.attachments);
  const bounced: string[] = [];
  let bounceReason: string | null = null;
  if (bounce) {
    const sources = [text, ...mail.attachments.filter((a) => /^(message\/|text\/rfc822-headers)/i.test(a.contentType)).map((a) => a.content.toString('utf8'))];
    for (const s of sources) for (const m of s.matchAll(/^Message-ID:\s*(<[^<>\s]+>)/gim)) bounced.push(m[1]);
    bounceReason = /^Diagnostic-Code:\s*(.+)$/im.exec(text)?.[1]?.trim() ?? /^Status:\s*(.+)$/im.exec(text)?.[1]?.trim() ?? 'delivery failed';
  }
  const messageId = idsOf(rawHeader(mail.headerLines, 'message-id') ?? mail.messageId)[0] ?? null;
  const date = mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date.toISOString() : null;
  const subject = noNul(mail.subject ?? '').trim();
  const to = addresses(mail.to);
  const cc = addresses(mail.cc);
  return {
    messageId,
    standInId: messageId ? null : standInId({ from, to, cc, date, subject, text, html: source, files: mail.attachments.map((a) => a.content) }),
    inReplyTo: idsOf(rawHeader(mail.headerLines, 'in-reply-to') ?? mail.inReplyTo).slice(0, 5),
    references: newestReferences(idsOf(rawHeader(mail.headerLines, 'references') ?? mail.references)),
    subject,
    from,
    to,
    cc,
    replyTo: addresses(mail.replyTo)[0] ?? null,
    date,
    text,
    trimmedText: trimmed,
    collapsed,
    html: cleaned?.html ?? null,
    remoteImages: cleaned?.remoteImages ?? 0,
    attachments: mail.attachments
      .filter((a) => !(bounce && /^(message\/delivery-status|text\/rfc822-headers)/i.test(a.contentType)))
      .map((a) => ({
        filename: noNul(a.filename || '') || (a.contentId ? `inline-${noNul(a.contentId.replace(/[<>]/g, ''))}` : 'attachment'),
        contentType: noNul(a.contentType || '') || 'application/octet-stream',
        contentId: a.contentId ? noNul(a.contentId.replace(/^<|>$/g, '')) : null,
        inline: !!a.related || a.contentDisposition === 'inline',
        content: new Uint8Array(a.content),
      })),
    wordsHash: wordsHash(subject, text),
    filesHash: filesHash(mail.attachments.map((a) => a.content)),
    automated: isAutomated(mail.headers),
    bounce,
    bouncedMessageIds: [...new Set(bounced)].filter((id) => id !== idsOf(mail.messageId)[0]),
    bounceReason,
  };
}
