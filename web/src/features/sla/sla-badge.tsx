import { Badge, Tooltip } from '@mantine/core';
import { IconClockHour4 } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { SlaSummary } from '../../app/types';
import { useFormat } from '../../i18n/format';
import { useDuration, useNow } from './sla-time';

export type LiveSlaState = SlaSummary['state'];

/** The state at this second: the list was read a while ago, the clock has moved since. */
export function liveState(sla: Pick<SlaSummary, 'state' | 'dueAt' | 'warnAt'>, now: number): LiveSlaState {
  if (sla.state === 'paused' || sla.state === 'breached' || !sla.dueAt) return sla.state;
  if (Date.parse(sla.dueAt) <= now) return 'breached';
  if (sla.state === 'at_risk' || (sla.warnAt && Date.parse(sla.warnAt) <= now)) return 'at_risk';
  return 'active';
}

const color: Record<LiveSlaState, string> = { breached: 'red', at_risk: 'orange', active: 'gray', paused: 'gray' };

/** "due in 3h 12m" / "overdue 5m", counting down every second; red once breached, orange at risk. */
export function SlaBadge({ sla }: { sla: SlaSummary | null | undefined }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const duration = useDuration();
  const now = useNow();
  if (!sla) return null;
  const state = liveState(sla, now);
  const left = sla.dueAt ? (Date.parse(sla.dueAt) - now) / 1000 : null;
  const text =
    left === null ? t('sla.pausedShort') : left <= 0 ? t('sla.overdue', { duration: duration(-left) }) : t('sla.dueIn', { duration: duration(left) });
  const label = `${t(`sla.metric.${sla.metric}`)} · ${t(`sla.state.${state}`)}${sla.dueAt ? ` · ${fmt.dateTime(sla.dueAt)}` : ''}`;
  return (
    <Tooltip label={label}>
      <Badge
        color={color[state]}
        variant={state === 'breached' ? 'filled' : state === 'paused' ? 'outline' : 'light'}
        tt="none"
        leftSection={<IconClockHour4 size={12} />}
        style={{ flexShrink: 0, overflow: 'visible' }}
        data-testid="sla-badge"
        data-state={state}
        aria-label={`${label}: ${text}`}
      >
        {text}
      </Badge>
    </Tooltip>
  );
}
