import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Real support-desk text in Arabic, Persian and Russian (the shared seeds), plus English written here. */
const seedsDir = process.env.BENCH_SEEDS_DIR ?? path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../shared/seeds');

const englishSubjects = [
  'Cannot reset my password',
  'Invoice shows the wrong amount',
  'Refund for a double charge',
  'The mobile app crashes on login',
  'How do I export my data?',
  'Shipping address needs to change',
  'Two-factor code never arrives',
  'Printer on the third floor is offline',
  'VPN disconnects every few minutes',
  'Request a new laptop for onboarding',
  'Order arrived damaged',
  'Cancel my subscription please',
  'Email notifications stopped working',
  'Account locked after too many attempts',
  'Payment failed but money was taken',
  'Password expired and reset link is broken',
  'Cannot upload attachments larger than 5 MB',
  'Wrong language on the invoice',
  'Need access to the shared finance folder',
  'Delivery is two weeks late',
];
const englishSentences = [
  'Hello, since this morning I cannot sign in to my account.',
  'I tried to reset my password twice but the link in the email says it has expired.',
  'My last invoice was charged twice on the same card.',
  'Could you please tell me when the refund will reach my bank account?',
  'The app closes right after the splash screen on my phone.',
  'I have attached a screenshot of the error message.',
  'Our whole team is blocked, so this is quite urgent for us.',
  'The parcel arrived yesterday and the box was crushed.',
  'I would like to change the delivery address for order 4471.',
  'Thank you for the quick answer, the problem is solved now.',
  'The VPN client drops the connection every five minutes when I work from home.',
  'Please cancel my subscription at the end of this billing period.',
  'I did not receive the verification code by SMS.',
  'Can you give me access to the shared finance folder on the drive?',
  'The printer shows a paper jam but there is no paper inside.',
];

export type Conversation = { language: 'en' | 'ar' | 'fa' | 'ru'; subject: string; bodies: string[] };

function sentencesOf(text: string): string[] {
  return text
    .split(/(?<=[.!?؟])\s+|\n+/)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s.length >= 25 && s.length <= 400);
}

function shorten(s: string, max: number): string {
  if (s.length <= max) return s;
  const cut = s.slice(0, max);
  return cut.slice(0, Math.max(cut.lastIndexOf(' '), 20)).trim();
}

const seedLanguage: Record<string, Conversation['language']> = { '000': 'ar', '001': 'fa', '002': 'ar', '003': 'ar', '004': 'ru' };

/**
 * A pool of conversations (a subject and one to three message bodies in one language),
 * mixed roughly like a desk serving English, Arabic, Persian and Russian speakers.
 */
export function conversations(size = 2000): Conversation[] {
  const bySeed = fs
    .readdirSync(seedsDir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ language: seedLanguage[f.slice(0, 3)] ?? 'ar', sentences: sentencesOf(fs.readFileSync(path.join(seedsDir, f), 'utf8')) }))
    .filter((s) => s.sentences.length > 3);
  if (!bySeed.length) throw new Error(`no seed text in ${seedsDir}`);
  const out: Conversation[] = [];
  const seen = new Set<string>();
  for (let i = 0; out.length < size && i < size * 4; i++) {
    let c: Conversation;
    if (i % 10 < 4) {
      const pick = (k: number) => englishSentences[(i * 7 + k * 3) % englishSentences.length];
      c = { language: 'en', subject: englishSubjects[i % englishSubjects.length], bodies: [pick(0), pick(1), pick(2)].slice(0, 1 + (i % 3)) };
    } else {
      const seed = bySeed[i % bySeed.length];
      const at = (i * 13) % seed.sentences.length;
      const take = (k: number) => seed.sentences[(at + k) % seed.sentences.length];
      c = { language: seed.language, subject: shorten(take(0), 110), bodies: [take(1), `${take(2)} ${take(3)}`, take(4)].slice(0, 1 + (i % 3)) };
    }
    // Subjects repeat in real desks, but the loader keys conversations by subject: make each unique.
    const key = `${c.subject}`;
    if (seen.has(key)) c.subject = `${c.subject} (${i})`;
    seen.add(c.subject);
    out.push(c);
  }
  return out;
}

/** Search words that occur in the pool, one per script the benchmark reports on. */
export const searchWords = { en: 'password', ar: 'الدعم', ru: 'поддержки' } as const;
