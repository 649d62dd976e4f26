import { Anchor, Badge, Group, Paper, Stack, Text } from '@mantine/core';
import { IconLock, IconMessage, IconPaperclip, IconUser } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { roleHas } from '../../../../common/permissions';
import { useMe } from '../../app/session';
import type { Message } from '../../app/types';
import { useFormat } from '../../i18n/format';
import { DeliveryStatus } from './delivery-status';
import { MailBody, useTicketMail } from './email-view';

function kindOf(m: Message): 'note' | 'agent' | 'customer' {
  if (m.internal) return 'note';
  return m.authorKind === 'customer' ? 'customer' : 'agent';
}

/** The conversation. Internal notes differ in colour, border, icon and label, so nobody mistakes one for a reply. */
export function Thread({ messages, ticketId, channel }: { messages: Message[]; ticketId: string; channel?: string }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const emailed = channel === 'email' || messages.some((m) => m.channel === 'email');
  const mail = useTicketMail(ticketId, messages.filter((m) => !m.internal).length, emailed && roleHas(me.role, 'tickets.timeline'));
  return (
    <Stack gap="sm" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={t('thread.label')} data-testid="thread">
      {messages.map((m) => {
        const kind = kindOf(m);
        return (
          <Paper component="li" key={m.id} withBorder p="sm" radius="sm" className="message" data-kind={kind} data-testid={kind === 'note' ? 'note' : 'reply'}>
            <Group justify="space-between" mb={6} wrap="nowrap">
              <Group gap={6} wrap="nowrap">
                {kind === 'note' ? <IconLock size={16} color="var(--mantine-color-yellow-8)" aria-hidden /> : kind === 'agent' ? <IconMessage size={16} aria-hidden /> : <IconUser size={16} aria-hidden />}
                <Text fw={600} size="sm" dir="auto">
                  {m.author?.name ?? t('thread.system')}
                </Text>
                {kind === 'note' ? (
                  <Badge color="yellow" variant="filled" size="sm" leftSection={<IconLock size={10} />}>
                    {t('thread.internalNote')}
                  </Badge>
                ) : (
                  <Badge color={kind === 'agent' ? 'blue' : 'gray'} variant="light" size="sm">
                    {kind === 'agent' ? t('thread.publicReply') : t('thread.customer')}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed" title={fmt.dateTime(m.createdAt)}>
                {fmt.dateTime(m.createdAt)}
              </Text>
            </Group>
            <MailBody body={m.body} mail={mail.data?.get(m.id)} attachments={m.attachments} />
            {m.attachments.length > 0 && (
              <Group gap="xs" mt="xs">
                {m.attachments.map((a) => (
                  <Anchor key={a.id} href={a.url} size="sm" download={a.filename}>
                    <Group gap={4} wrap="nowrap">
                      <IconPaperclip size={14} aria-hidden />
                      <span dir="auto">{a.filename}</span>
                      <Text span size="xs" c="dimmed">
                        ({fmt.fileSize(a.size)})
                      </Text>
                    </Group>
                  </Anchor>
                ))}
              </Group>
            )}
            {m.delivery && <DeliveryStatus ticketId={ticketId} delivery={m.delivery} />}
          </Paper>
        );
      })}
    </Stack>
  );
}
