import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.js';
import { customers, organizations } from '../modules/customers/customers.table.js';
import { teamMembers, teams } from '../modules/teams/teams.table.js';
import { users } from '../modules/users/users.table.js';
import type { Actor } from '../platform/permissions.js';
import type { Random } from './demo-random.js';
import type { Lang } from './demo-texts.js';
import { languages } from '../../../common/enums.js';

export const DEMO_DOMAIN = 'demo.frontline.local';
/** The first demo account: its existence marks a desk where the demo was loaded. */
export const DEMO_MARKER_EMAIL = `maria.manager@${DEMO_DOMAIN}`;

type TeamKey = 'l1' | 'l2' | 'billing' | 'it';
type StaffSpec = {
  login: string;
  name: string;
  role: 'manager' | 'supervisor' | 'dispatcher' | 'analyst' | 'agent';
  language: Lang;
  speaks: Lang[];
  tier?: 1 | 2;
  skills?: string[];
  teams: TeamKey[];
  availability: 'online' | 'away' | 'offline';
};

const teamSpecs: Record<TeamKey, { name: string; tier: number | null; timeZone: string; description: string }> = {
  l1: { name: 'Level 1', tier: 1, timeZone: 'Europe/Moscow', description: 'First line: takes every new request and solves most of them.' },
  l2: { name: 'Level 2', tier: 2, timeZone: 'Europe/Moscow', description: 'Product experts: escalations, bugs and network problems.' },
  billing: { name: 'Billing', tier: 1, timeZone: 'Asia/Dubai', description: 'Invoices, payments and refunds.' },
  it: { name: 'IT Service Desk', tier: 1, timeZone: 'Asia/Tehran', description: 'Internal help for employees: laptops, printers, accounts, 1C.' },
};

// The manager comes first: DEMO_MARKER_EMAIL.
const staffSpecs: StaffSpec[] = [
  { login: 'maria.manager', name: 'Maria Sokolova', role: 'manager', language: 'ru', speaks: ['ru', 'en'], teams: [], availability: 'online' },
  { login: 'omar.supervisor', name: 'Omar Haddad', role: 'supervisor', language: 'ar', speaks: ['ar', 'en'], teams: ['l1', 'l2'], availability: 'online' },
  { login: 'shirin.dispatcher', name: 'Shirin Ahmadi', role: 'dispatcher', language: 'fa', speaks: ['fa', 'en', 'ar'], teams: ['l1', 'billing', 'it'], availability: 'online' },
  { login: 'james.analyst', name: 'James Carter', role: 'analyst', language: 'en', speaks: ['en'], teams: [], availability: 'away' },
  { login: 'anna.l1', name: 'Anna Petrova', role: 'agent', language: 'ru', speaks: ['ru', 'en'], tier: 1, skills: ['login', 'mobile-app'], teams: ['l1'], availability: 'online' },
  { login: 'layla.l1', name: 'Layla Nasser', role: 'agent', language: 'ar', speaks: ['ar', 'en'], tier: 1, skills: ['login', 'billing'], teams: ['l1', 'billing'], availability: 'online' },
  { login: 'reza.l1', name: 'Reza Karimi', role: 'agent', language: 'fa', speaks: ['fa', 'en'], tier: 1, skills: ['network', 'printer'], teams: ['l1', 'it'], availability: 'away' },
  { login: 'emily.l1', name: 'Emily Brooks', role: 'agent', language: 'en', speaks: ['en'], tier: 1, skills: ['login', 'feature-request'], teams: ['l1'], availability: 'online' },
  { login: 'dmitry.l1', name: 'Dmitry Volkov', role: 'agent', language: 'ru', speaks: ['ru', 'en'], tier: 1, skills: ['printer', '1c', 'accounts'], teams: ['it'], availability: 'offline' },
  { login: 'sara.l1', name: 'Sara Rahimi', role: 'agent', language: 'fa', speaks: ['fa', 'ar', 'en'], tier: 1, skills: ['billing', 'invoice'], teams: ['billing'], availability: 'online' },
  { login: 'sergei.l2', name: 'Sergei Morozov', role: 'agent', language: 'ru', speaks: ['ru', 'en'], tier: 2, skills: ['network', '1c', 'api'], teams: ['l2', 'it'], availability: 'online' },
  { login: 'yasmin.l2', name: 'Yasmin Khalil', role: 'agent', language: 'ar', speaks: ['ar', 'en'], tier: 2, skills: ['billing', 'api', 'mobile-app'], teams: ['l2', 'billing'], availability: 'away' },
  { login: 'dariush.l2', name: 'Dariush Farahani', role: 'agent', language: 'fa', speaks: ['fa', 'en'], tier: 2, skills: ['network', 'vpn', 'mobile-app'], teams: ['l2'], availability: 'offline' },
  { login: 'daniel.l2', name: 'Daniel Wright', role: 'agent', language: 'en', speaks: ['en', 'ru'], tier: 2, skills: ['api', '1c', 'billing'], teams: ['l2'], availability: 'online' },
];

const orgSpecs: { name: string; domain: string; language: Lang; timeZone: string }[] = [
  { name: 'Nile Trading Co.', domain: 'niletrading.example', language: 'ar', timeZone: 'Africa/Cairo' },
  { name: 'Gulf Logistics', domain: 'gulflogistics.example', language: 'ar', timeZone: 'Asia/Dubai' },
  { name: 'Pars Software', domain: 'parssoft.example', language: 'fa', timeZone: 'Asia/Tehran' },
  { name: 'Tabriz Carpets', domain: 'tabrizcarpets.example', language: 'fa', timeZone: 'Asia/Tehran' },
  { name: 'Volga Retail', domain: 'volgaretail.example', language: 'ru', timeZone: 'Europe/Moscow' },
  { name: 'Siberian Energy', domain: 'sibenergy.example', language: 'ru', timeZone: 'Asia/Novosibirsk' },
  { name: 'Brightside Media', domain: 'brightside.example', language: 'en', timeZone: 'Europe/London' },
  { name: 'Northwind Health', domain: 'northwindhealth.example', language: 'en', timeZone: 'America/New_York' },
];

/** First names, family names and a transliteration for the email address. */
const names: Record<Lang, { first: [string, string][]; last: [string, string][] }> = {
  en: {
    first: [['Oliver', 'oliver'], ['Sophie', 'sophie'], ['George', 'george'], ['Hannah', 'hannah'], ['Lucas', 'lucas'], ['Grace', 'grace'], ['Ethan', 'ethan'], ['Chloe', 'chloe']],
    last: [['Smith', 'smith'], ['Taylor', 'taylor'], ['Walker', 'walker'], ['Hughes', 'hughes'], ['Bennett', 'bennett'], ['Foster', 'foster']],
  },
  ar: {
    first: [['أحمد', 'ahmed'], ['فاطمة', 'fatima'], ['خالد', 'khaled'], ['نور', 'nour'], ['يوسف', 'youssef'], ['مريم', 'mariam'], ['كريم', 'karim'], ['سلمى', 'salma']],
    last: [['المصري', 'elmasry'], ['الحسيني', 'elhusseini'], ['العلي', 'alali'], ['منصور', 'mansour'], ['سالم', 'salem'], ['عبد الله', 'abdullah']],
  },
  fa: {
    first: [['علی', 'ali'], ['زهرا', 'zahra'], ['محمد', 'mohammad'], ['نرگس', 'narges'], ['حسین', 'hossein'], ['مریم', 'maryam'], ['سامان', 'saman'], ['لیلا', 'leila']],
    last: [['محمدی', 'mohammadi'], ['حسینی', 'hosseini'], ['رضایی', 'rezaei'], ['کاظمی', 'kazemi'], ['مددی', 'madadi'], ['نوری', 'nouri']],
  },
  ru: {
    first: [['Алексей', 'alexey'], ['Ольга', 'olga'], ['Иван', 'ivan'], ['Екатерина', 'ekaterina'], ['Михаил', 'mikhail'], ['Наталья', 'natalya'], ['Павел', 'pavel'], ['Татьяна', 'tatyana']],
    last: [['Смирнов', 'smirnov'], ['Кузнецов', 'kuznetsov'], ['Попов', 'popov'], ['Лебедев', 'lebedev'], ['Новиков', 'novikov'], ['Фёдоров', 'fedorov']],
  },
};

const departments = ['Finance', 'Sales', 'Human Resources', 'Warehouse', 'Accounting', 'Marketing'];
const internalZones: Record<Lang, string> = { en: 'Europe/London', ar: 'Asia/Dubai', fa: 'Asia/Tehran', ru: 'Europe/Moscow' };
const langs: readonly Lang[] = languages;

export type DemoStaff = { actor: Actor; spec: StaffSpec };
export type DemoCustomer = { id: string; name: string; firstName: string; language: Lang; kind: 'external' | 'internal'; actor: Actor; portal: boolean };
export type DemoPeople = {
  teams: Record<TeamKey, string>;
  staff: DemoStaff[];
  customers: DemoCustomer[];
  /** Customers' addresses, written after the history (see loadDemo). */
  emails: { email: string; customerId: string; createdAt: Date }[];
};

function staffActor(id: string, s: StaffSpec, teamIds: string[]): Actor {
  return { userId: id, role: s.role, name: s.name, email: `${s.login}@${DEMO_DOMAIN}`, language: s.language, customerId: null, teamIds, via: 'session' };
}

/** Teams, staff, organizations and customers, written in the caller's transaction. */
export async function createPeople(tx: DbOrTx, rnd: Random, passwordHash: string, now: Date): Promise<DemoPeople> {
  const created = new Date(now.getTime() - 90 * 86_400_000);
  const teamIds = {} as Record<TeamKey, string>;
  for (const key of Object.keys(teamSpecs) as TeamKey[]) {
    const spec = teamSpecs[key];
    // A team the operator already made under this name is used as it is.
    const [row] = await tx.insert(teams).values({ ...spec, createdAt: created }).onConflictDoNothing().returning({ id: teams.id });
    const [existing] = row ? [row] : await tx.select({ id: teams.id }).from(teams).where(eq(teams.name, spec.name));
    teamIds[key] = existing.id;
  }

  const staffRows = await tx
    .insert(users)
    .values(
      staffSpecs.map((s) => ({
        email: `${s.login}@${DEMO_DOMAIN}`,
        name: s.name,
        role: s.role,
        passwordHash,
        tier: s.tier ?? null,
        // Languages are skills too, so routing can match a customer's language.
        skills: [...(s.skills ?? []), ...s.speaks.map((l) => `lang:${l}`)],
        availability: s.availability,
        language: s.language,
        signature: s.name,
        createdAt: created,
        updatedAt: created,
      })),
    )
    .returning({ id: users.id, email: users.email });
  const staff = staffSpecs.map((spec, i) => {
    const ids = spec.teams.map((k) => teamIds[k]);
    return { spec, actor: staffActor(staffRows[i].id, spec, ids) };
  });
  const memberships = staff.flatMap((s) => s.actor.teamIds.map((teamId) => ({ teamId, userId: s.actor.userId })));
  await tx.insert(teamMembers).values(memberships).onConflictDoNothing();

  const orgRows = await tx
    .insert(organizations)
    .values(orgSpecs.map((o) => ({ name: o.name, domains: [o.domain], createdAt: created })))
    .onConflictDoNothing()
    .returning({ id: organizations.id, name: organizations.name });
  const orgId = new Map(orgRows.map((o) => [o.name, o.id]));

  type Plan = { name: string; firstName: string; email: string; language: Lang; kind: 'external' | 'internal'; orgId?: string; department?: string; timeZone: string; phone: string };
  const plans: Plan[] = [];
  const used = new Set<string>();
  const person = (lang: Lang) => {
    for (;;) {
      const [first, firstLatin] = rnd.pick(names[lang].first);
      const [last, lastLatin] = rnd.pick(names[lang].last);
      const handle = `${firstLatin}.${lastLatin}`;
      if (used.has(handle)) continue;
      used.add(handle);
      return { name: `${first} ${last}`, firstName: first, handle };
    }
  };
  // A country code where people of that language live, so the numbers look like the desk's real ones.
  const countryCodes: Record<Lang, number[]> = { en: [1, 44, 61], ar: [966, 971, 20, 962], fa: [98], ru: [7] };
  const phone = (lang: Lang) => `+${rnd.pick(countryCodes[lang])} ${rnd.int(100, 999)} ${rnd.int(100, 999)} ${rnd.int(1000, 9999)}`;
  for (const o of orgSpecs) {
    for (let i = 0; i < 6; i++) {
      const p = person(o.language);
      plans.push({ ...p, email: `${p.handle}@${o.domain}`, language: o.language, kind: 'external', orgId: orgId.get(o.name), timeZone: o.timeZone, phone: phone(o.language) });
    }
  }
  // People writing on their own, from personal addresses.
  for (const lang of langs) {
    for (let i = 0; i < 2; i++) {
      const p = person(lang);
      plans.push({ ...p, email: `${p.handle}@mail.example`, language: lang, kind: 'external', timeZone: internalZones[lang], phone: phone(lang) });
    }
  }
  // Employees of the company running the desk, served by the IT Service Desk.
  for (const lang of langs) {
    for (let i = 0; i < 4; i++) {
      const p = person(lang);
      plans.push({ ...p, email: `${p.handle}@corp.example`, language: lang, kind: 'internal', department: rnd.pick(departments), timeZone: internalZones[lang], phone: phone(lang) });
    }
  }

  const customerRows = await tx
    .insert(customers)
    .values(
      plans.map((p) => ({
        name: p.name,
        kind: p.kind,
        department: p.department,
        organizationId: p.orgId,
        language: p.language,
        timeZone: p.timeZone,
        phones: [p.phone],
        createdAt: created,
        updatedAt: created,
      })),
    )
    .returning({ id: customers.id });

  // Every third customer (and every employee) can sign in to the portal.
  const portal = plans.map((p, i) => p.kind === 'internal' || i % 3 === 0);
  const portalRows = await tx
    .insert(users)
    .values(
      plans
        .map((p, i) => ({ p, i }))
        .filter(({ i }) => portal[i])
        .map(({ p, i }) => ({ email: p.email, name: p.name, role: 'customer' as const, passwordHash, customerId: customerRows[i].id, language: p.language, createdAt: created, updatedAt: created })),
    )
    .onConflictDoNothing()
    .returning({ id: users.id, customerId: users.customerId });
  const portalUser = new Map(portalRows.map((r) => [r.customerId, r.id]));

  const demoCustomers: DemoCustomer[] = plans.map((p, i) => {
    const id = customerRows[i].id;
    return {
      id,
      name: p.name,
      firstName: p.firstName,
      language: p.language,
      kind: p.kind,
      portal: portalUser.has(id),
      // Customers without a portal account still act on their tickets (by email, chat, phone).
      actor: { userId: portalUser.get(id) ?? id, role: 'customer', name: p.name, email: p.email, language: p.language, customerId: id, teamIds: [], via: 'session' },
    };
  });
  return { teams: teamIds, staff, customers: demoCustomers, emails: plans.map((p, i) => ({ email: p.email, customerId: customerRows[i].id, createdAt: created })) };
}
