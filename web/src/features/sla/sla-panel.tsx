import { Badge, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SlaTarget } from '../../app/types';
import { useFormat } from '../../i18n/format';
import { liveState } from './sla-badge';
import { useDuration, useNow } from './sla-time';

const color: Record<string, string> = { breached: 'red', at_risk: 'orange', warning: 'orange', active: 'blue', paused: 'gray', met: 'teal', cancelled: 'gray' };

/** Every promise on the ticket: metric, due time and state, with a live countdown for running ones. */
export function SlaPanel({ targets }: { targets: SlaTarget[] }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const duration = useDuration();
  const now = useNow();
  if (!targets.length) return null;
  return (
    <Paper withBorder p="sm" data-testid="sla-panel">
      <Title order={3} size="h6" mb="xs">
        {t('sla.panelTitle')}
      </Title>
      <Stack gap={6}>
        {targets.map((tg) => {
          const open = tg.state === 'active' || tg.state === 'warning';
          const state = open ? liveState({ state: tg.state === 'warning' ? 'at_risk' : 'active', dueAt: tg.dueAt, warnAt: tg.warnAt }, now) : tg.state;
          const left = tg.dueAt ? (Date.parse(tg.dueAt) - now) / 1000 : null;
          const detail =
            tg.metAt // met, or breached and then met late
              ? t('sla.metAt', { date: fmt.dateTime(tg.metAt) })
              : tg.state === 'paused' && tg.remainingSeconds !== null
                ? t('sla.remainingPaused', { duration: duration(tg.remainingSeconds) })
                : tg.dueAt && left !== null && tg.state !== 'cancelled'
                  ? `${fmt.dateTime(tg.dueAt)} · ${left <= 0 ? t('sla.overdue', { duration: duration(-left) }) : t('sla.dueIn', { duration: duration(left) })}`
                  : '';
          return (
            <Group key={tg.metric} justify="space-between" wrap="nowrap" gap="xs" data-testid="sla-target" data-metric={tg.metric} data-state={state}>
              <Stack gap={0}>
                <Text size="sm" fw={500}>
                  {t(`sla.metric.${tg.metric}`)}
                  {tg.businessHours && (
                    <Text span size="xs" c="dimmed" ms={6}>
                      {t('sla.businessHours')}
                    </Text>
                  )}
                </Text>
                {detail && (
                  <Text size="xs" c="dimmed">
                    {detail}
                  </Text>
                )}
              </Stack>
              <Badge color={color[state]} variant={state === 'breached' ? 'filled' : 'light'} tt="none" style={{ flexShrink: 0 }}>
                {t(`sla.state.${state}`)}
              </Badge>
            </Group>
          );
        })}
      </Stack>
    </Paper>
  );
}
