import { Alert, Anchor, Button, Center, CloseButton, Group, Loader, Paper, Pill, Stack, Table, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useSearch } from 'wouter';
import { api, qs } from '../../app/api-client';
import { useCounts, useTeams } from '../../app/queries';
import type { Page, Ticket } from '../../app/types';
import { useFormat } from '../../i18n/format';
import { QueueFilters, readFilters, writeFilters, type Filters } from './queue-filters';
import { loadViews, saveViews, type SavedView } from './saved-views';
import { isUnread } from './seen-store';
import { ChannelIcon, PriorityBadge, StatusBadge } from './ticket-badges';
import { SlaBadge } from '../sla/sla-badge';

const active = ['new', 'open', 'pending', 'on_hold'];

/** The API query behind each queue; the user's filters refine it. */
function viewQuery(view: string, solvedSince: string | undefined): Record<string, string | string[] | undefined> {
  if (view === 'mine') return { assigneeId: 'me', status: active };
  if (view === 'unassigned') return { assigneeId: 'none', status: active };
  if (view === 'solved') return { status: ['solved', 'closed'], updatedSince: solvedSince ?? new Date(Date.now() - 7 * 86400_000).toISOString() };
  if (view.startsWith('team:')) return { teamId: view.slice(5), status: active };
  // Promises at risk or broken, the most urgent first.
  if (view === 'at_risk' || view === 'breached') return { sla: view, status: active, sort: 'slaDueAt' };
  return {};
}

export function QueuePage({ view }: { view: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const search = useSearch();
  const [location, navigate] = useLocation();
  const filters = useMemo(() => readFilters(search), [search]);
  const counts = useCounts().data;
  const teams = useTeams().data ?? [];
  const [selected, setSelected] = useState(0);
  const [views, setViews] = useState<SavedView[]>(loadViews);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);

  const solvedSince = view === 'solved' ? counts?.solvedSince : undefined;
  const params = { ...viewQuery(view, solvedSince), ...Object.fromEntries(Object.entries(filters).filter(([, v]) => (Array.isArray(v) ? v.length : v))) };
  const query = useInfiniteQuery({
    queryKey: ['tickets', params],
    queryFn: ({ pageParam }) => api<Page<Ticket>>('GET', `/tickets${qs({ ...params, limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: (prev) => prev,
  });
  const rows = query.data?.pages.flatMap((p) => p.data) ?? [];

  useEffect(() => setSelected(0), [view, search]);
  useEffect(() => {
    rowRefs.current[selected]?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const open = (ticket: Ticket | undefined) => ticket && navigate(`/tickets/${ticket.id}`);
  useHotkeys([
    ['j', () => setSelected((i) => Math.min(i + 1, rows.length - 1))],
    ['k', () => setSelected((i) => Math.max(i - 1, 0))],
    ['Enter', () => open(rows[selected])],
  ]);

  const title =
    view === 'mine' ? t('queues.mine') : view === 'unassigned' ? t('queues.unassigned') : view === 'all' ? t('queues.all') : view === 'solved' ? t('queues.solved') : view === 'at_risk' ? t('sla.viewAtRisk') : view === 'breached' ? t('sla.viewBreached') : (teams.find((tm) => `team:${tm.id}` === view)?.name ?? t('queues.team'));

  const setFilters = (f: Filters) => navigate(`${location}${writeFilters(f)}`, { replace: true });

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h3" data-testid="queue-title">
          {title}
        </Title>
        {views.length > 0 && (
          <Group gap={6} aria-label={t('views.saved')} role="list">
            {views.map((v) => (
              <Pill
                key={v.name}
                role="listitem"
                withRemoveButton
                removeButtonProps={{ 'aria-label': t('views.remove', { name: v.name }) }}
                onRemove={() => {
                  const next = views.filter((x) => x.name !== v.name);
                  setViews(next);
                  saveViews(next);
                }}
              >
                <Anchor size="xs" href={v.href} onClick={(e) => (e.preventDefault(), navigate(v.href))}>
                  {v.name}
                </Anchor>
              </Pill>
            ))}
          </Group>
        )}
      </Group>
      <QueueFilters
        key={view + search}
        value={filters}
        defaultSort={typeof params.sort === 'string' && !filters.sort ? params.sort : undefined}
        onChange={setFilters}
        onSave={(name) => {
          const next = [...views.filter((v) => v.name !== name), { name, href: `${location}${writeFilters(filters)}` }];
          setViews(next);
          saveViews(next);
        }}
      />
      {filters.q && (
        <Group gap="xs">
          <Text size="sm">{t('filters.searchingFor', { q: filters.q })}</Text>
          <CloseButton size="sm" aria-label={t('filters.clearSearch')} onClick={() => setFilters({ ...filters, q: undefined })} />
        </Group>
      )}
      {query.isError && <Alert color="red">{t('common.loadFailed')}</Alert>}
      <Paper withBorder>
        <Table highlightOnHover verticalSpacing="xs" data-testid="ticket-list" aria-label={title}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ticket.number')}</Table.Th>
              <Table.Th>{t('ticket.subject')}</Table.Th>
              <Table.Th>{t('ticket.requester')}</Table.Th>
              <Table.Th>
                <span className="visually-hidden">{t('ticket.channel')}</span>
              </Table.Th>
              <Table.Th>{t('ticket.priority')}</Table.Th>
              <Table.Th>{t('ticket.status')}</Table.Th>
              <Table.Th>{t('sla.column')}</Table.Th>
              <Table.Th>{t('ticket.assignee')}</Table.Th>
              <Table.Th>{t('ticket.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((tk, i) => {
              const unread = isUnread(tk.id, tk.updatedAt);
              return (
                <Table.Tr
                  key={tk.id}
                  ref={(el) => {
                    rowRefs.current[i] = el;
                  }}
                  className="queue-row"
                  data-testid="ticket-row"
                  data-ticket-id={tk.id}
                  data-selected={i === selected}
                  data-unread={unread}
                  onClick={() => open(tk)}
                >
                  <Table.Td>
                    <Text size="sm" c="dimmed" dir="ltr" component="span">
                      #{fmt.ticketNumber(tk.number)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      {unread && <span className="unread-dot" aria-hidden />}
                      <Anchor
                        href={`/tickets/${tk.id}`}
                        c="inherit"
                        fw={unread ? 700 : 400}
                        onClick={(e) => {
                          e.preventDefault();
                        }}
                        dir="auto"
                      >
                        {unread && <span className="visually-hidden">{t('ticket.unread')} </span>}
                        {tk.subject}
                      </Anchor>
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" dir="auto" component="span">
                      {tk.requester.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <ChannelIcon channel={tk.channel} />
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge priority={tk.priority} />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={tk.status} />
                  </Table.Td>
                  <Table.Td>
                    <SlaBadge sla={tk.sla} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={tk.assignee ? undefined : 'dimmed'} component="span">
                      {tk.assignee?.name ?? t('ticket.unassigned')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed" title={fmt.dateTime(tk.updatedAt)} component="span">
                      {fmt.relative(tk.updatedAt)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
        {query.isLoading && (
          <Center p="md">
            <Loader size="sm" aria-label={t('common.loading')} />
          </Center>
        )}
        {!query.isLoading && rows.length === 0 && (
          <Text p="md" c="dimmed" ta="center" data-testid="queue-empty">
            {t('queues.empty')}
          </Text>
        )}
      </Paper>
      {query.hasNextPage && (
        <Center>
          <Button variant="light" onClick={() => void query.fetchNextPage()} loading={query.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
