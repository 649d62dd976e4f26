import { Anchor, Badge, Divider, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { IconBuilding, IconLanguage, IconMail, IconPhone } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import { languageNames } from '../../app/language-select';
import type { CustomerContext } from '../../app/types';
import { useFormat } from '../../i18n/format';
import { StatusBadge } from './ticket-badges';

/** Who is asking, what they asked before and how it ended. */
export function CustomerPanel({ context, currentTicketId }: { context: CustomerContext; currentTicketId: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [, navigate] = useLocation();
  const c = context.customer;
  const previous = context.tickets.filter((tk) => tk.id !== currentTicketId);
  const last = previous[0];
  const go = (href: string) => (e: React.MouseEvent) => {
    e.preventDefault();
    navigate(href);
  };

  return (
    <Paper withBorder p="sm" component="aside" aria-label={t('customer.panel')} data-testid="customer-panel">
      <Stack gap="xs">
        <Title order={3} size="h5">
          <Anchor href={`/customers/${c.id}`} onClick={go(`/customers/${c.id}`)} dir="auto">
            {c.name}
          </Anchor>
        </Title>
        {c.emails.map((e) => (
          <Group gap={6} key={e} wrap="nowrap">
            <IconMail size={14} aria-label={t('customer.email')} />
            <Text size="sm" dir="ltr">
              {e}
            </Text>
          </Group>
        ))}
        {c.phones.map((p) => (
          <Group gap={6} key={p} wrap="nowrap">
            <IconPhone size={14} aria-label={t('customer.phone')} />
            <Text size="sm" dir="ltr">
              {p}
            </Text>
          </Group>
        ))}
        <Group gap={6}>
          <IconLanguage size={14} aria-label={t('customer.language')} />
          <Text size="sm">{languageNames[c.language] ?? c.language}</Text>
        </Group>
        {c.organization && (
          <Group gap={6}>
            <IconBuilding size={14} aria-label={t('customer.organization')} />
            <Anchor size="sm" href={`/organizations/${c.organization.id}`} onClick={go(`/organizations/${c.organization.id}`)} dir="auto">
              {c.organization.name}
            </Anchor>
          </Group>
        )}
        <Text size="xs" c="dimmed">
          {t('customer.ticketCounts', { count: context.ticketCount, total: fmt.number(context.ticketCount), open: fmt.number(context.openCount) })}
        </Text>
        <Divider />
        <Text size="sm" fw={600}>
          {t('customer.lastProblem')}
        </Text>
        {last ? (
          <Text size="sm" data-testid="last-problem">
            <Anchor href={`/tickets/${last.id}`} onClick={go(`/tickets/${last.id}`)} dir="auto">
              {last.subject}
            </Anchor>{' '}
            —{' '}
            <Badge color={last.solved ? 'teal' : 'orange'} variant="light" size="sm">
              {last.solved ? t('customer.solved') : t('customer.stillOpen')}
            </Badge>
          </Text>
        ) : (
          <Text size="sm" c="dimmed" data-testid="last-problem">
            {t('customer.firstContact')}
          </Text>
        )}
        {previous.length > 1 && (
          <>
            <Text size="sm" fw={600}>
              {t('customer.previousTickets')}
            </Text>
            <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {previous.slice(0, 8).map((tk) => (
                <Group key={tk.id} component="li" gap={6} justify="space-between" wrap="nowrap">
                  <Anchor size="sm" href={`/tickets/${tk.id}`} onClick={go(`/tickets/${tk.id}`)} lineClamp={1} dir="auto">
                    {tk.subject}
                  </Anchor>
                  <StatusBadge status={tk.status} />
                </Group>
              ))}
            </Stack>
          </>
        )}
        {context.recentEvents.length > 0 && (
          <>
            <Text size="sm" fw={600}>
              {t('customer.recentEvents')}
            </Text>
            <Stack gap={2}>
              {context.recentEvents.slice(0, 6).map((e) => (
                <Text key={e.id} size="xs" c="dimmed">
                  <bdi>#{fmt.ticketNumber(e.number ?? 0)}</bdi> · {t(`events.${e.type.replace('.', '_')}`, { defaultValue: e.type })} · <bdi>{fmt.relative(e.createdAt)}</bdi>
                </Text>
              ))}
            </Stack>
          </>
        )}
      </Stack>
    </Paper>
  );
}
