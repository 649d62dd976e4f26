import { Alert, Button, FileButton, Group, Paper, Pill, SegmentedControl, Select, Stack, Textarea } from '@mantine/core';
import { IconAlertTriangle, IconLock, IconMessage, IconPaperclip, IconSend } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ticketStatuses } from '../../../../common/enums';
import { api } from '../../app/api-client';
import { errorText } from '../../app/api-errors';
import type { TicketDetail } from '../../app/types';
import type { Viewer } from './use-presence';
import { useFormat } from '../../i18n/format';

export type ComposerHandle = { focus(mode: 'reply' | 'note'): void };
type Pending = { filename: string; contentType: string; contentBase64: string };

function readBase64(file: File): Promise<Pending> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve({ filename: file.name, contentType: file.type || 'application/octet-stream', contentBase64: String(r.result).split(',')[1] ?? '' });
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export const Composer = forwardRef<ComposerHandle, { ticket: TicketDetail; typers: Viewer[]; onTyping: () => void }>(function Composer({ ticket, typers, onTyping }, ref) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const qc = useQueryClient();
  const [mode, setMode] = useState<'reply' | 'note'>('reply');
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<Pending[]>([]);
  const [then, setThen] = useState<string | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);

  // Mantine puts a `dir` prop on the wrapper; the textarea itself must carry dir="auto" to follow what is
  // typed. Empty, it keeps the interface's direction so the placeholder reads right.
  const hasText = body.length > 0;
  useEffect(() => {
    if (hasText) area.current?.setAttribute('dir', 'auto');
    else area.current?.removeAttribute('dir');
  }, [hasText]);

  useImperativeHandle(ref, () => ({
    focus(m) {
      setMode(m);
      requestAnimationFrame(() => area.current?.focus());
    },
  }));

  const send = useMutation({
    mutationFn: () =>
      api('POST', `/tickets/${ticket.id}/messages`, {
        body,
        internal: mode === 'note',
        attachments: files.length ? files : undefined,
        status: then ?? undefined,
      }),
    onSuccess: () => {
      setBody('');
      setFiles([]);
      setThen(null);
      void qc.invalidateQueries({ queryKey: ['ticket', ticket.id] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: ['counts'] });
    },
  });

  const note = mode === 'note';
  const submit = () => {
    if (body.trim() && !send.isPending) send.mutate();
  };

  return (
    <Paper withBorder p="sm" bg={note ? 'yellow.0' : undefined} style={note ? { borderColor: 'var(--mantine-color-yellow-5)' } : undefined} data-testid="composer" data-mode={mode}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="xs">
          <SegmentedControl
            value={mode}
            onChange={(v) => setMode(v as 'reply' | 'note')}
            aria-label={t('composer.mode')}
            data-testid="composer-mode"
            data={[
              { value: 'reply', label: <Group gap={4} wrap="nowrap"><IconMessage size={14} aria-hidden />{t('composer.reply')}</Group> },
              { value: 'note', label: <Group gap={4} wrap="nowrap"><IconLock size={14} aria-hidden />{t('composer.note')}</Group> },
            ]}
            color={note ? 'yellow' : 'blue'}
            w="fit-content"
          />
          {typers.length > 0 && (
            <Alert color="orange" icon={<IconAlertTriangle size={16} />} p="xs" data-testid="typing-warning" role="status">
              {t(body.trim() ? 'presence.bothTyping' : 'presence.typing', { count: typers.length, names: fmt.people(typers.map((v) => v.name)) })}
            </Alert>
          )}
          <Textarea
            ref={area}
            autosize
            minRows={4}
            maxRows={16}
            aria-label={note ? t('composer.noteLabel') : t('composer.replyLabel')}
            placeholder={note ? t('composer.notePlaceholder') : t('composer.replyPlaceholder', { name: ticket.requester.name })}
            value={body}
            data-testid="composer-body"
            onChange={(e) => {
              setBody(e.currentTarget.value);
              onTyping();
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                submit();
              }
            }}
          />
          {files.length > 0 && (
            <Group gap={6}>
              {files.map((f, i) => (
                <Pill key={`${f.filename}-${i}`} withRemoveButton onRemove={() => setFiles(files.filter((_, j) => j !== i))} removeButtonProps={{ 'aria-label': t('composer.removeFile', { name: f.filename }) }}>
                  {f.filename}
                </Pill>
              ))}
            </Group>
          )}
          {send.isError && (
            <Alert color="red" p="xs" withCloseButton closeButtonLabel={t('common.close')} onClose={() => send.reset()}>
              {errorText(t, send.error)}
            </Alert>
          )}
          <Group justify="space-between">
            <FileButton multiple onChange={async (list) => setFiles([...files, ...(await Promise.all(list.map(readBase64)))])}>
              {(props) => (
                <Button {...props} variant="subtle" size="xs" leftSection={<IconPaperclip size={14} />}>
                  {t('composer.attach')}
                </Button>
              )}
            </FileButton>
            <Group gap="xs">
              <Select
                size="xs"
                w={170}
                aria-label={t('composer.thenStatus')}
                placeholder={t('composer.thenStatus')}
                data={ticketStatuses.filter((s) => s !== 'new').map((s) => ({ value: s, label: t('composer.andSet', { status: t(`status.${s}`) }) }))}
                value={then}
                onChange={setThen}
                clearable
              />
              <Button type="submit" size="xs" color={note ? 'yellow' : 'blue'} loading={send.isPending} disabled={!body.trim()} leftSection={<IconSend size={14} className="mirror-in-rtl" />} data-testid="composer-send">
                {note ? t('composer.addNote') : t('composer.sendReply')}
              </Button>
            </Group>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
});

