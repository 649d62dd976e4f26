import { Stack, Text, Timeline as MTimeline } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../../app/api-client';
import { ListStatus, LoadMore } from '../../app/paged-list';
import type { Page, TimelineEvent } from '../../app/types';
import { useFormat } from '../../i18n/format';

function useValue() {
  const { t } = useTranslation();
  return (field: unknown, v: unknown) => {
    if (v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0)) return t('timeline.none');
    if (field === 'status') return t(`status.${v}`);
    if (field === 'priority') return t(`priority.${v}`);
    if (Array.isArray(v)) return v.join(', ');
    return String(v);
  };
}

export function TicketTimeline({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const value = useValue();
  // Oldest first, a page at a time: most tickets fit in one; a long one offers its later changes below.
  const list = useInfiniteQuery({
    queryKey: ['timeline', ticketId],
    queryFn: ({ pageParam }) => api<Page<TimelineEvent>>('GET', `/tickets/${ticketId}/timeline${qs({ limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const events = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Stack gap="sm">
      <MTimeline bulletSize={12} lineWidth={2} data-testid="timeline">
        {events.map((e) => {
          const field = e.data.field;
          // Assignment and team events carry ids; the thread and panel show names, so the timeline says what changed.
          const showValues = field === 'status' || field === 'priority' || field === 'category' || field === 'tags' || field === 'subject';
          return (
            <MTimeline.Item key={e.id} title={t(`events.${e.type.replace('.', '_')}`, { defaultValue: e.type })}>
              {showValues && (
                <Text size="sm">
                  {t('timeline.change', { from: '\u2068' + value(field, e.data.from) + '\u2069', to: '\u2068' + value(field, e.data.to) + '\u2069' })}
                </Text>
              )}
              {typeof e.data.note === 'string' && (
                <Text size="sm" fs="italic" dir="auto">
                  {e.data.note}
                </Text>
              )}
              <Text size="xs" c="dimmed">
                <bdi>{e.actor?.name ?? t('timeline.system')}</bdi> · <bdi>{fmt.dateTime(e.createdAt)}</bdi>
              </Text>
            </MTimeline.Item>
          );
        })}
      </MTimeline>
      <ListStatus list={list} rows={events.length} />
      <LoadMore list={list} label={t('timeline.later')} />
    </Stack>
  );
}
