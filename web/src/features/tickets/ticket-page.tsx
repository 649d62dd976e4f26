import { Alert, Anchor, Avatar, Badge, Center, Grid, Group, Loader, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { IconArrowLeft, IconEye } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api-client';
import { useMe } from '../../app/session';
import type { TicketDetail } from '../../app/types';
import { useFormat } from '../../i18n/format';
import { Composer, type ComposerHandle } from './composer';
import { CustomerPanel } from './customer-panel';
import { markSeen } from './seen-store';
import { ChannelIcon, PriorityBadge, StatusBadge } from './ticket-badges';
import { TicketProperties, type PropertiesHandle } from './ticket-properties';
import { TicketTimeline } from './timeline';
import { SlaPanel } from '../sla/sla-panel';
import { Thread } from './thread';
import { usePresence } from './use-presence';

export function TicketPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  // One round trip: the ticket, its messages and the customer side panel.
  const q = useQuery({ queryKey: ['ticket', id], queryFn: () => api<TicketDetail>('GET', `/tickets/${id}?include=context`) });
  const { viewers, typers, typing } = usePresence(id, me.id);
  const composer = useRef<ComposerHandle>(null);
  const props = useRef<PropertiesHandle>(null);
  const [tab, setTab] = useState<string | null>('conversation');

  useEffect(() => {
    if (q.data) markSeen(q.data.id, q.data.updatedAt);
  }, [q.data]);

  useHotkeys([
    ['r', () => (setTab('conversation'), composer.current?.focus('reply'))],
    ['n', () => (setTab('conversation'), composer.current?.focus('note'))],
    ['a', () => props.current?.assignToMe()],
    ['s', () => props.current?.focusStatus()],
    ['u', () => history.back()],
  ]);

  if (q.isLoading) {
    return (
      <Center p="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (q.isError || !q.data) {
    return <Alert color="red">{q.error instanceof ApiError && q.error.status === 404 ? t('ticket.notFound') : t('common.loadFailed')}</Alert>;
  }
  const ticket = q.data;

  return (
    <Grid gap="md">
      <Grid.Col span={{ base: 12, md: 8 }}>
        <Stack gap="sm">
          <Group gap="xs" wrap="nowrap">
            <Anchor
              href="#"
              onClick={(e) => {
                e.preventDefault();
                history.back();
              }}
              aria-label={t('ticket.back')}
            >
              <IconArrowLeft size={18} className="mirror-in-rtl" />
            </Anchor>
            <Text c="dimmed" dir="ltr">
              #{fmt.ticketNumber(ticket.number)}
            </Text>
            <Title order={2} size="h3" dir="auto" data-testid="ticket-subject">
              {ticket.subject}
            </Title>
          </Group>
          <Group gap="xs">
            <StatusBadge status={ticket.status} />
            <PriorityBadge priority={ticket.priority} />
            <ChannelIcon channel={ticket.channel} />
            <Text size="sm" c="dimmed">
              {t('ticket.openedAt', { date: fmt.dateTime(ticket.createdAt) })}
            </Text>
            {ticket.assignee && (
              <Badge variant="outline" color="gray" data-testid="assignee-badge">
                {t('ticket.assignedTo', { name: ticket.assignee.name })}
              </Badge>
            )}
            {viewers.length > 0 && (
              <Group gap={4} data-testid="presence" role="status" aria-live="polite">
                <IconEye size={16} aria-hidden />
                <Text size="sm">{t('presence.alsoViewing')}</Text>
                {viewers.map((v) => (
                  <Tooltip key={v.id} label={v.name}>
                    <Avatar size="sm" color="teal" name={v.name} alt={v.name} data-testid="presence-viewer">
                      {v.name.slice(0, 2)}
                    </Avatar>
                  </Tooltip>
                ))}
                <span className="visually-hidden">{viewers.map((v) => v.name).join(', ')}</span>
              </Group>
            )}
          </Group>
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="conversation">{t('ticket.conversation', { count: ticket.messages.length })}</Tabs.Tab>
              <Tabs.Tab value="timeline" data-testid="timeline-tab">
                {t('ticket.timeline')}
              </Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="conversation" pt="sm">
              <Stack gap="sm">
                <Thread messages={ticket.messages} ticketId={ticket.id} channel={ticket.channel} />
                <Composer ref={composer} ticket={ticket} typers={typers} onTyping={typing} />
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="timeline" pt="sm">
              <TicketTimeline ticketId={ticket.id} />
            </Tabs.Panel>
          </Tabs>
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, md: 4 }}>
        <Stack gap="md">
          <TicketProperties ref={props} ticket={ticket} me={me} />
          {ticket.sla && <SlaPanel targets={ticket.sla} />}
          {ticket.context && <CustomerPanel context={ticket.context} currentTicketId={ticket.id} />}
        </Stack>
      </Grid.Col>
    </Grid>
  );
}
