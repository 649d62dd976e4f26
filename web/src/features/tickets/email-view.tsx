import { Button, Group, Text } from '@mantine/core';
import { IconQuote } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';

/** One message as GET /email/tickets/:id has it (the fields the thread uses). */
export type MailMessage = { messageId: string; html: string | null; fullText: string | null; collapsed: boolean; remoteImages: number };

/**
 * A ticket's mail, for staff and only when the ticket has mail at all: fetched once, and again only
 * when the thread gains a message (which may be a new mail), never on every ticket refresh.
 */
export function useTicketMail(ticketId: string, messages: number, enabled: boolean) {
  return useQuery({
    queryKey: ['ticket-mail', ticketId, messages],
    queryFn: () => api<{ messages: MailMessage[] }>('GET', `/email/tickets/${ticketId}`),
    enabled,
    staleTime: Infinity,
    placeholderData: keepPreviousData,
    select: (d) => new Map(d.messages.map((m) => [m.messageId, m])),
  });
}

/** The message text: the trimmed body, or the whole mail with its quoted history and signature when asked. */
export function MailBody({ body, mail }: { body: string; mail?: MailMessage }) {
  const { t } = useTranslation();
  const [full, setFull] = useState(false);
  const foldable = Boolean(mail?.collapsed && mail.fullText);
  return (
    <>
      <div className="user-content" dir="auto" data-testid="message-body" data-full={full ? 'true' : 'false'}>
        {full && mail?.fullText ? mail.fullText : body}
      </div>
      {foldable && (
        <Group gap="xs" mt={4}>
          <Button variant="subtle" size="compact-xs" leftSection={<IconQuote size={14} />} onClick={() => setFull((v) => !v)} aria-expanded={full} data-testid="quoted-toggle">
            {full ? t('mail.hideQuoted') : t('mail.showQuoted')}
          </Button>
        </Group>
      )}
    </>
  );
}
