import { Center, Loader, Text, Timeline as MTimeline } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import type { TimelineEvent } from '../../app/types';
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
  const q = useQuery({ queryKey: ['timeline', ticketId], queryFn: () => api<{ data: TimelineEvent[] }>('GET', `/tickets/${ticketId}/timeline`) });
  if (q.isLoading) {
    return (
      <Center p="md">
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    );
  }
  const events = q.data?.data ?? [];
  return (
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
  );
}
