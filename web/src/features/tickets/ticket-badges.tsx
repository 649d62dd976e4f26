import { Badge, Tooltip } from '@mantine/core';
import { IconApi, IconMail, IconMessageCircle, IconPhone, IconWalk, IconWorld } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { TicketChannel, TicketPriority, TicketStatus } from '../../../../common/enums';

const statusColor: Record<TicketStatus, string> = { new: 'cyan', open: 'blue', pending: 'yellow', on_hold: 'grape', solved: 'teal', closed: 'gray' };
const priorityColor: Record<TicketPriority, string> = { low: 'gray', normal: 'blue', high: 'orange', urgent: 'red' };
const channelIcon = { email: IconMail, chat: IconMessageCircle, portal: IconWorld, phone: IconPhone, walk_in: IconWalk, api: IconApi } as const;

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={statusColor[status]} variant="light" tt="none" style={{ flexShrink: 0, overflow: 'visible' }} data-testid="status-badge" data-status={status}>
      {t(`status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return (
    <Badge color={priorityColor[priority]} variant={priority === 'urgent' ? 'filled' : 'outline'} tt="none" style={{ flexShrink: 0, overflow: 'visible' }}>
      {t(`priority.${priority}`)}
    </Badge>
  );
}

export function ChannelIcon({ channel }: { channel: TicketChannel }) {
  const { t } = useTranslation();
  const Icon = channelIcon[channel] ?? IconWorld;
  const label = t(`channel.${channel}`);
  return (
    <Tooltip label={label}>
      <span role="img" aria-label={label} style={{ display: 'inline-flex' }}>
        <Icon size={18} stroke={1.6} />
      </span>
    </Tooltip>
  );
}
