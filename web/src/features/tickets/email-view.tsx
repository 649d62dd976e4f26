import { Button, Group, Text } from '@mantine/core';
import { IconMail, IconPhoto, IconQuote } from '@tabler/icons-react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { useFormat } from '../../i18n/format';

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
      {original && mail?.html && <OriginalMail html={mail.html} remoteImages={mail.remoteImages} />}
    </>
  );
}

// The frame's own policy: nothing from elsewhere until the agent allows images (and then images only).
// It narrows the app's policy, which the srcdoc document inherits as well.
const framePolicy = (remote: boolean) => `default-src 'none'; style-src 'unsafe-inline'; img-src data:${remote ? ' https: http:' : ''}`;

/** The sanitised HTML, given data-remote-src back as src only when the agent asked for it. */
function frameDocument(html: string, remote: boolean): string {
  let content = html;
  if (remote) {
    // DOMParser documents are inert: nothing loads while the addresses are moved.
    const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
    for (const img of doc.querySelectorAll('img[data-remote-src]')) {
      img.setAttribute('src', img.getAttribute('data-remote-src') ?? '');
      img.removeAttribute('data-remote-src');
    }
    content = doc.body.innerHTML;
  }
  const meta = `<meta http-equiv="Content-Security-Policy" content="${framePolicy(remote)}">`;
  const style = '<style>body{font-family:system-ui,sans-serif;font-size:14px;margin:8px;overflow-wrap:anywhere}img{max-width:100%;height:auto}</style>';
  return `<!doctype html><html><head><meta charset="utf-8">${meta}${style}</head><body dir="auto">${content}</body></html>`;
}

/** The email as sent, in a frame that runs no script and has no origin; remote images wait for a click. */
function OriginalMail({ html, remoteImages }: { html: string; remoteImages: number }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const [remote, setRemote] = useState(false);
  return (
    <div data-testid="original-mail">
      {remoteImages > 0 && !remote && (
        <Group gap="xs" mt={4}>
          <Text size="xs" c="dimmed">
            {t('mail.remoteBlocked')}
          </Text>
          <Button variant="light" size="compact-xs" leftSection={<IconPhoto size={14} />} onClick={() => setRemote(true)} data-testid="load-remote-images">
            {t('mail.loadRemote', { n: fmt.number(remoteImages) })}
          </Button>
        </Group>
      )}
      <iframe
        title={t('mail.originalTitle')}
        sandbox=""
        referrerPolicy="no-referrer"
        srcDoc={frameDocument(html, remote)}
        data-remote={remote ? 'true' : 'false'}
        style={{ width: '100%', height: 360, border: '1px solid var(--mantine-color-default-border)', borderRadius: 4, marginTop: 4, resize: 'vertical', background: 'white' }}
      />
    </div>
  );
}
