import { ActionIcon, AppShell, Badge, Burger, Center, Group, Indicator, Loader, Menu, NavLink, ScrollArea, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import {
  IconBuilding,
  IconCheck,
  IconInbox,
  IconInboxOff,
  IconKeyboard,
  IconLogout,
  IconSearch,
  IconCircleCheck,
  IconTicket,
  IconUser,
  IconUsers,
  IconUsersGroup,
  IconIdBadge2,
  IconMail,
  IconMailExclamation,
  IconAlertTriangle,
  IconAlarm,
  IconCalendarTime,
  IconClockHour4,
  IconArrowsShuffle,
} from '@tabler/icons-react';
import { lazy, Suspense, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Redirect, Route, Switch, useLocation } from 'wouter';
import { QueuePage } from '../features/tickets/queue-page';
import { useFormat } from '../i18n/format';
import { LanguageSelect } from './language-select';
import { useCounts, useStaff, useTeams } from './queries';
import { api } from './api-client';
import { availabilities } from '../../../common/enums';
import { roleHas } from '../../../common/permissions';
import { useQueryClient } from '@tanstack/react-query';
import { useRealtime } from './realtime';
import { useSession, useMe } from './session';
import { ShortcutHelp } from './shortcut-help';

const TicketPage = lazy(() => import('../features/tickets/ticket-page').then((m) => ({ default: m.TicketPage })));
const CustomersPage = lazy(() => import('../features/customers/customers-page').then((m) => ({ default: m.CustomersPage })));
const CustomerPage = lazy(() => import('../features/customers/customer-page').then((m) => ({ default: m.CustomerPage })));
const OrganizationsPage = lazy(() => import('../features/customers/organizations-page').then((m) => ({ default: m.OrganizationsPage })));
const StaffPage = lazy(() => import('../features/admin/staff-page').then((m) => ({ default: m.StaffPage })));
const TeamsPage = lazy(() => import('../features/admin/teams-page').then((m) => ({ default: m.TeamsPage })));
const MailboxesPage = lazy(() => import('../features/admin/mailboxes-page').then((m) => ({ default: m.MailboxesPage })));
const InboundFailuresPage = lazy(() => import('../features/admin/inbound-failures-page').then((m) => ({ default: m.InboundFailuresPage })));
const CalendarsPage = lazy(() => import('../features/admin/calendars-page').then((m) => ({ default: m.CalendarsPage })));
const SlaPoliciesPage = lazy(() => import('../features/admin/sla-policies-page').then((m) => ({ default: m.SlaPoliciesPage })));
const AssignmentPage = lazy(() => import('../features/admin/assignment-page').then((m) => ({ default: m.AssignmentPage })));

function NavItem({ href, label, icon, count, testId }: { href: string; label: string; icon: ReactNode; count?: number; testId?: string }) {
  const [location, navigate] = useLocation();
  const { number } = useFormat();
  const active = location === href || location.startsWith(href + '/');
  return (
    <NavLink
      href={href}
      label={label}
      leftSection={icon}
      active={active}
      data-testid={testId}
      aria-current={active ? 'page' : undefined}
      rightSection={count !== undefined ? <Badge size="sm" variant={active ? 'filled' : 'light'} data-testid={testId ? `${testId}-count` : undefined}>{number(count)}</Badge> : undefined}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey) return;
        e.preventDefault();
        navigate(href);
      }}
    />
  );
}

function Navigation() {
  const { t } = useTranslation();
  const me = useMe();
  const counts = useCounts().data;
  const teams = useTeams().data ?? [];
  // Agents work their own teams' queues; every other role sees all tickets.
  const visibleTeams = me.role === 'agent' ? teams.filter((tm) => me.teamIds.includes(tm.id)) : teams;
  const may = (c: Parameters<typeof roleHas>[1]) => roleHas(me.role, c);
  const admin = may('staff.manage') || may('teams.manage') || may('email.manage') || may('settings.manage');
  return (
    <nav aria-label={t('nav.label')}>
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
        {t('nav.queues')}
      </Text>
      <NavItem href="/queues/mine" label={t('queues.mine')} icon={<IconInbox size={18} />} count={counts?.mine} testId="nav-mine" />
      <NavItem href="/queues/unassigned" label={t('queues.unassigned')} icon={<IconInboxOff size={18} />} count={counts?.unassigned} testId="nav-unassigned" />
      <NavItem href="/queues/at_risk" label={t('sla.viewAtRisk')} icon={<IconAlertTriangle size={18} />} count={counts?.atRisk} testId="nav-at-risk" />
      <NavItem href="/queues/breached" label={t('sla.viewBreached')} icon={<IconAlarm size={18} />} count={counts?.breached} testId="nav-breached" />
      {visibleTeams.map((tm) => (
        <NavItem key={tm.id} href={`/queues/team/${tm.id}`} label={tm.name} icon={<IconUsersGroup size={18} />} count={counts?.teams[tm.id] ?? 0} testId={`nav-team-${tm.id}`} />
      ))}
      <NavItem href="/queues/all" label={t('queues.all')} icon={<IconTicket size={18} />} count={counts?.all} testId="nav-all" />
      <NavItem href="/queues/solved" label={t('queues.solved')} icon={<IconCircleCheck size={18} />} count={counts?.solvedRecently} testId="nav-solved" />
      <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
        {t('nav.people')}
      </Text>
      <NavItem href="/customers" label={t('nav.customers')} icon={<IconUser size={18} />} />
      <NavItem href="/organizations" label={t('nav.organizations')} icon={<IconBuilding size={18} />} />
      {admin && (
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="md" pb={4}>
          {t('nav.admin')}
        </Text>
      )}
      {may('staff.manage') && <NavItem href="/admin/staff" label={t('nav.staff')} icon={<IconIdBadge2 size={18} />} />}
      {may('teams.manage') && <NavItem href="/admin/teams" label={t('nav.teams')} icon={<IconUsers size={18} />} />}
      {may('email.manage') && (
        <>
          <NavItem href="/admin/mailboxes" label={t('adminEmail.mailboxes')} icon={<IconMail size={18} />} testId="nav-admin-mailboxes" />
          <NavItem href="/admin/inbound-failures" label={t('adminEmail.inboundFailures')} icon={<IconMailExclamation size={18} />} testId="nav-admin-inbound-failures" />
        </>
      )}
      {may('settings.manage') && (
        <>
          <NavItem href="/admin/calendars" label={t('adminSla.navCalendars')} icon={<IconCalendarTime size={18} />} testId="nav-admin-calendars" />
          <NavItem href="/admin/sla-policies" label={t('adminSla.navPolicies')} icon={<IconClockHour4 size={18} />} testId="nav-admin-sla-policies" />
          <NavItem href="/admin/assignment" label={t('adminSla.navAssignment')} icon={<IconArrowsShuffle size={18} />} testId="nav-admin-assignment" />
        </>
      )}
    </nav>
  );
}

/** The agent sets their own availability (routing and colleagues read it). */
function AvailabilityItems() {
  const { t } = useTranslation();
  const me = useMe();
  const qc = useQueryClient();
  const current = useStaff().data?.find((s) => s.id === me.id)?.availability;
  return (
    <>
      <Menu.Label>{t('staff.availability')}</Menu.Label>
      {availabilities.map((a) => (
        <Menu.Item
          key={a}
          leftSection={a === current ? <IconCheck size={16} /> : <span style={{ display: 'inline-block', inlineSize: 16 }} />}
          aria-checked={a === current}
          role="menuitemradio"
          onClick={async () => {
            await api('PATCH', '/me', { availability: a });
            void qc.invalidateQueries({ queryKey: ['staff'] });
          }}
        >
          {t(`availability.${a}`)}
        </Menu.Item>
      ))}
    </>
  );
}

export function Shell() {
  const { t } = useTranslation();
  const me = useMe();
  const { signOut, changeLanguage } = useSession();
  const { connected } = useRealtime();
  const [opened, { toggle }] = useDisclosure();
  const [helpOpen, help] = useDisclosure(false);
  const [, navigate] = useLocation();
  const searchRef = useRef<HTMLInputElement>(null);

  useHotkeys([
    ['?', () => help.toggle()],
    ['shift+?', () => help.toggle()],
    ['shift+/', () => help.toggle()],
    ['/', () => searchRef.current?.focus()],
  ]);

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.toggle')} />
            <Title order={1} size="h4">
              {t('app.name')}
            </Title>
          </Group>
          <form
            role="search"
            onSubmit={(e) => {
              e.preventDefault();
              const q = searchRef.current?.value.trim();
              navigate(q ? `/queues/all?q=${encodeURIComponent(q)}` : '/queues/all');
            }}
            style={{ flex: 1, maxWidth: 420 }}
          >
            <TextInput
              ref={searchRef}
              name="q"
              aria-label={t('search.label')}
              placeholder={t('search.placeholder')}
              leftSection={<IconSearch size={16} />}
              data-testid="global-search"
            />
          </form>
          <Group gap="xs" wrap="nowrap">
            <Tooltip label={connected ? t('realtime.connected') : t('realtime.disconnected')}>
              <Indicator color={connected ? 'teal' : 'gray'} size={10} processing={!connected} data-testid="realtime-status" data-connected={connected}>
                <span className="visually-hidden">{connected ? t('realtime.connected') : t('realtime.disconnected')}</span>
              </Indicator>
            </Tooltip>
            <LanguageSelect onChange={(l) => void changeLanguage(l)} />
            <Tooltip label={t('shortcuts.title')}>
              <ActionIcon variant="subtle" aria-label={t('shortcuts.title')} onClick={help.open}>
                <IconKeyboard size={18} />
              </ActionIcon>
            </Tooltip>
            <Menu position="bottom-end">
              <Menu.Target>
                <ActionIcon variant="light" radius="xl" aria-label={t('nav.account', { name: me.name })} data-testid="account-menu">
                  <IconUser size={18} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {me.name} · {t(`roles.${me.role}`)}
                </Menu.Label>
                <AvailabilityItems />
                <Menu.Divider />
                <Menu.Item leftSection={<IconLogout size={16} className="mirror-in-rtl" />} onClick={() => void signOut()}>
                  {t('nav.signOut')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar data-testid="navigation">
        <ScrollArea>
          <Navigation />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Suspense
          fallback={
            <Center p="xl">
              <Loader aria-label={t('common.loading')} />
            </Center>
          }
        >
          <Switch>
            <Route path="/">
              <Redirect to="/queues/mine" replace />
            </Route>
            <Route path="/queues/team/:teamId">{(p) => <QueuePage view={`team:${p.teamId}`} />}</Route>
            <Route path="/queues/:view">{(p) => <QueuePage view={p.view} />}</Route>
            <Route path="/tickets/:id">{(p) => <TicketPage id={p.id} />}</Route>
            <Route path="/customers" component={CustomersPage} />
            <Route path="/customers/:id">{(p) => <CustomerPage id={p.id} />}</Route>
            <Route path="/organizations">{() => <OrganizationsPage />}</Route>
            <Route path="/organizations/:id">{(p) => <OrganizationsPage id={p.id} />}</Route>
            <Route path="/admin/staff" component={StaffPage} />
            <Route path="/admin/teams" component={TeamsPage} />
            <Route path="/admin/mailboxes" component={MailboxesPage} />
            <Route path="/admin/inbound-failures" component={InboundFailuresPage} />
            <Route path="/admin/calendars" component={CalendarsPage} />
            <Route path="/admin/sla-policies" component={SlaPoliciesPage} />
            <Route path="/admin/assignment" component={AssignmentPage} />
            <Route>
              <Text role="alert">{t('common.notFound')}</Text>
            </Route>
          </Switch>
        </Suspense>
      </AppShell.Main>
      <ShortcutHelp opened={helpOpen} onClose={help.close} />
    </AppShell>
  );
}
