import { Button, Group } from '@mantine/core';
import { IconMail, IconQuote } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import type { Attachment } from '../../app/types';
import { OriginalMail } from './original-mail';

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
export function MailBody({ body, mail, attachments }: { body: string; mail?: MailMessage; attachments: Attachment[] }) {
  const { t } = useTranslation();
  const [full, setFull] = useState(false);
  const [original, setOriginal] = useState(false);
  const foldable = Boolean(mail?.collapsed && mail.fullText);
  return (
    <>
      <div className="user-content" dir="auto" data-testid="message-body" data-full={full ? 'true' : 'false'}>
        {full && mail?.fullText ? mail.fullText : body}
      </div>
      {(foldable || mail?.html) && (
        <Group gap="xs" mt={4}>
          {foldable && (
            <Button variant="subtle" size="compact-xs" leftSection={<IconQuote size={14} />} onClick={() => setFull((v) => !v)} aria-expanded={full} data-testid="quoted-toggle">
              {full ? t('mail.hideQuoted') : t('mail.showQuoted')}
            </Button>
          )}
          {mail?.html && (
            <Button variant="subtle" size="compact-xs" leftSection={<IconMail size={14} />} onClick={() => setOriginal((v) => !v)} aria-expanded={original} data-testid="original-toggle">
              {original ? t('mail.hideOriginal') : t('mail.showOriginal')}
            </Button>
          )}
        </Group>
      )}
      {original && mail?.html && <OriginalMail html={mail.html} remoteImages={mail.remoteImages} attachments={attachments} />}
    </>
  );
}
