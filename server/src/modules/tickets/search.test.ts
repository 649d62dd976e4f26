import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedText, startDesk, type Account, type TestDesk } from '../../../test/harness.js';
import { portalCustomer, type CustomerAccount } from '../../../test/portal-customer.js';

let desk: TestDesk;
let admin: Account;
let customer: CustomerAccount;

beforeAll(async () => {
  desk = await startDesk();
  admin = await desk.as('admin');
  customer = await portalCustomer(desk, admin, 'Samad Madadi');
});
afterAll(async () => desk?.close());

/** The first line of a seed that contains `words`: real text, as customers write it. */
function seedLine(prefix: string, words: string): string {
  const line = seedText(prefix)
    .split('\n')
    .find((l) => l.includes(words));
  if (!line) throw new Error(`seed ${prefix} has no line with ${words}`);
  return line.trim().slice(0, 2000);
}

async function ticket(subject: string, body: string, requesterEmail = customer.email): Promise<string> {
  const res = await desk.request(admin, 'POST', '/api/v1/tickets', { subject, channel: 'email', requester: { email: requesterEmail }, body });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function write(ticketId: string, body: string, internal = false) {
  const res = await desk.request(admin, 'POST', `/api/v1/tickets/${ticketId}/messages`, { body, internal });
  expect(res.status).toBe(201);
}

async function found(who: Account, q: string): Promise<string[]> {
  const res = await desk.request(who, 'GET', `/api/v1/tickets?limit=100&q=${encodeURIComponent(q)}`);
  expect(res.status, `q=${q}`).toBe(200);
  return res.body.data.map((t: { id: string }) => t.id);
}

describe('a search matches all of a ticket\'s texts together', () => {
  const subject = seedLine('002', 'Help desk'); // "Help desk - Part 3"
  const arabic = seedLine('000', 'واجهة');
  const russian = seedLine('004', 'Довольно часто компании');
  const persianNote = seedLine('001', 'فناوری اطلاعات');
  let spread: string;
  let control: string;

  beforeAll(async () => {
    spread = await ticket(subject, arabic);
    await write(spread, russian);
    await write(spread, persianNote, true);
    control = await ticket(subject, russian);
  });

  it('finds words spread over the subject and a message, or over two messages', async () => {
    expect(await found(admin, 'desk واجهة')).toEqual([spread]);
    expect(await found(admin, 'واجهة компании')).toEqual([spread]);
    expect(await found(admin, 'компании فناوری')).toEqual([spread]);
    expect(await found(admin, 'desk компании')).toEqual(expect.arrayContaining([spread, control]));
  });

  it('excludes a ticket by a -word that another of its texts holds', async () => {
    const hits = await found(admin, 'desk -واجهة');
    expect(hits).toContain(control);
    expect(hits).not.toContain(spread);
    expect(await found(admin, 'компании -فناوری')).toEqual([control]);
  });

  it('never lets a customer find a ticket by the words of an internal note, alone or with others', async () => {
    expect(await found(customer, 'desk واجهة')).toEqual([spread]);
    expect(await found(customer, 'فناوری')).toEqual([]);
    expect(await found(customer, 'компании فناوری')).toEqual([]);
    // For the customer the note is not there, so it excludes nothing either (and reveals nothing).
    expect(await found(customer, 'desk واجهة -فناوری')).toEqual([spread]);
  });

  it('keeps the document whole when messages move to another ticket', async () => {
    const other = await desk.request(admin, 'POST', '/api/v1/tickets', { subject: 'Merged away', channel: 'email', requester: { email: customer.email }, body: seedLine('003', 'ليس بالأمر السهل') });
    const merged = await desk.request(admin, 'POST', `/api/v1/tickets/${other.body.id}/merge`, { targetId: control });
    expect(merged.status).toBeLessThan(300);
    expect(await found(admin, 'desk السهل')).toEqual([control]);
    expect(await found(admin, 'merged السهل')).toEqual([]);
  });
});

describe('letters and words typed several ways find the same text', () => {
  it('Persian: Arabic-keyboard ي and ك, ZWNJ, a space or nothing between a word and its prefix or suffix', async () => {
    const title = seedLine('001', 'کیفیت پشتیبانی'); // Persian ی and ک
    const line = seedLine('001', 'پیام های ناخوشایندی'); // written with spaces: "پیام های", "می کند", "نمی توانیم"
    const withPersianLetters = await ticket(title, line);
    // The same words typed on an Arabic keyboard, and with ZWNJ where the seed has a space.
    const arabicKeyboard = title.replace(/ی/g, 'ي').replace(/ک/g, 'ك');
    const withZwnj = line.replace(/(^|\s)(ن?می) /g, '$1$2\u200c').replace(/ های/g, '\u200cهای');
    const typedOtherwise = await ticket(arabicKeyboard, withZwnj);

    for (const q of ['كيفيت پشتيباني', 'کیفیت پشتیبانی']) expect(await found(admin, q), q).toEqual(expect.arrayContaining([withPersianLetters, typedOtherwise]));
    for (const q of ['پیام‌های', 'پیامهای', 'پیام های', 'نمی‌توانیم', 'نمیتوانیم', 'نمی توانیم', 'می‌کند', 'میکند']) {
      expect(await found(admin, q), q).toEqual(expect.arrayContaining([withPersianLetters, typedOtherwise]));
    }
    expect(await found(admin, 'پیامهای -ناخوشایندی')).toEqual([]);
  });

  it('Arabic: hamza and alef forms, taa marbuta, alef maqsura, tatweel, harakat and the article', async () => {
    const gulf = await ticket('الدعم', seedLine('000', 'والخط الأول')); // الشركة، والخط، الأمر، الدعم
    const egypt = await ticket('مكتب المساعدة', seedLine('002', 'الهيكل الوظيفى')); // written with ى for final ي: الوظيفى، فى
    for (const q of ['الشركه', 'الامر', 'الأمر', 'الدَّعْمُ', 'الدعـــم', 'خط', 'الخط']) expect(await found(admin, q), q).toContain(gulf);
    for (const q of ['الوظيفي', 'في مكتب', 'المساعده']) expect(await found(admin, q), q).toContain(egypt);
  });

  it('Russian: ё and е, capitals and «quoted» words, on any server locale', async () => {
    const calm = await ticket('Техподдержка', seedLine('004', 'вам все ясно')); // "все" is a stop word: only exact words find it
    const quoted = await ticket('Поддержка', seedLine('004', 'Довольно часто компании'));
    expect(await found(admin, 'всё ясно')).toContain(calm);
    expect(await found(admin, 'ВСЁ')).toContain(calm);
    expect(await found(admin, 'довольно основа устойчивого')).toContain(quoted);
  });
});

describe('a ticket number finds its ticket', () => {
  it('as "1300", "#1300" or in Arabic or Persian digits, within what the reader may see; a number in a text still finds that text', async () => {
    const quoted = await ticket('Printer jams', seedLine('003', 'ليس بالأمر السهل'));
    const { number } = (await desk.request(admin, 'GET', `/api/v1/tickets/${quoted}`)).body as { number: number };
    const arabic = String(number).replace(/\d/g, (d) => String.fromCharCode(0x660 + Number(d)));
    const persian = String(number).replace(/\d/g, (d) => String.fromCharCode(0x6f0 + Number(d)));
    for (const q of [String(number), `#${number}`, `# ${number}`, arabic, `#${persian}`]) expect(await found(admin, q), q).toEqual([quoted]);
    const mentions = await ticket('Error code', `The API answers ${number + 7000} since noon`);
    expect(await found(admin, String(number + 7000))).toEqual([mentions]);
    // A customer finds their own ticket by its number, and no one else's.
    expect(await found(customer, `#${number}`)).toEqual([quoted]);
    const stranger = await ticket('Not yours', 'Someone else writes', 'someone.else@example.com');
    const strangerNumber = (await desk.request(admin, 'GET', `/api/v1/tickets/${stranger}`)).body.number as number;
    expect(await found(customer, `#${strangerNumber}`)).toEqual([]);
  });
});

describe("a ticket's search document", () => {
  /** The stored document beside the one built afresh from the subject and the messages in order (staff, then customer). */
  async function documents(ticketId: string) {
    const res = await desk.ctx.db.execute(sql`
      select s.staff::text as staff, s.customer::text as customer,
             search_concat(t.search, m.staff)::text as expected_staff, search_concat(t.search, m.customer)::text as expected_customer
      from ticket_search s join tickets t on t.id = s.ticket_id,
      lateral (select search_agg(search order by created_at, id) as staff, search_agg(search order by created_at, id) filter (where not internal) as customer
               from messages where ticket_id = t.id) m
      where s.ticket_id = ${ticketId}::uuid`);
    return res.rows as { staff: string; customer: string; expected_staff: string; expected_customer: string }[];
  }

  it('holds the subject and every message once, whether the ticket came with its first message or without one', async () => {
    const withMessage = await ticket(seedLine('002', 'Help desk'), seedLine('000', 'واجهة'));
    await write(withMessage, seedLine('004', 'Довольно часто компании'));
    await write(withMessage, seedLine('001', 'فناوری اطلاعات'), true);
    // A ticket written on its own (as an import or a bulk load does), its first message later.
    const [{ id: bare }] = (
      await desk.ctx.db.execute(sql`insert into tickets (subject, channel, requester_id) values ('Printer offline', 'phone', ${customer.customerId}::uuid) returning id`)
    ).rows as { id: string }[];
    expect(await documents(bare)).toEqual([expect.objectContaining({ staff: expect.stringContaining("'printer'") })]);
    await write(bare, seedLine('003', 'ليس بالأمر السهل'));
    for (const id of [withMessage, bare]) {
      const [doc] = await documents(id);
      expect(doc.staff, id).toBe(doc.expected_staff);
      expect(doc.customer, id).toBe(doc.expected_customer);
    }
    const [withNote] = await documents(withMessage);
    expect(withNote.customer).not.toBe(withNote.staff); // the internal note is the staff's only
  });
});
