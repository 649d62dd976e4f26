import { Badge, Checkbox, Group, Modal, NumberInput, Paper, PasswordInput, Select, Stack, Switch, Table, Text, TextInput } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api-client';
import { useTeams } from '../../app/queries';
import { AdminList, FormActions } from './admin-layout';
import { errorUnder, fieldErrors, type Localize } from './field-errors';

export type Mailbox = {
  id: string;
  address: string;
  name: string;
  teamId: string | null;
  inboundMethod: 'smtp' | 'imap' | 'http';
  imap: { host: string; port: number; secure: boolean; user: string; folder: string; passwordSet: boolean; error: string | null; errorAt: string | null } | null;
  smtpConfigured: boolean;
  responseHours: number;
  closedReplyAction: 'follow_up' | 'reopen';
  autoReplies: boolean;
  active: boolean;
};

const methods = ['smtp', 'imap', 'http'] as const;

/** The API's complaint about one field, in the reader's language (the server's words are English). */
/** Mailbox errors by code (an unreachable IMAP server, a taken address), or else by the field named. */
const mailboxError: Localize = (t, code, _message, field) =>
  code !== 'invalid_request'
    ? t(`adminEmail.errors.${code}`, { defaultValue: t('adminEmail.errors.invalid') })
    : t(`adminEmail.errors.field_${field.replace('.', '_')}`, { defaultValue: t('adminEmail.errors.invalid') });

const fieldsShown = ['address', 'name', 'teamId', 'inboundMethod', 'imap', 'smtpUrl', 'responseHours'];

function MailboxEditor({ mailbox, onClose }: { mailbox: Mailbox | 'new'; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useTeams().data ?? [];
  const isNew = mailbox === 'new';
  const m = isNew ? null : mailbox;
  const [address, setAddress] = useState(m?.address ?? '');
  const [name, setName] = useState(m?.name ?? '');
  const [teamId, setTeamId] = useState<string | null>(m?.teamId ?? null);
  const [method, setMethod] = useState<Mailbox['inboundMethod']>(m?.inboundMethod ?? 'smtp');
  const [imap, setImap] = useState({ host: m?.imap?.host ?? '', port: m?.imap?.port ?? 993, secure: m?.imap?.secure ?? true, user: m?.imap?.user ?? '', folder: m?.imap?.folder ?? 'INBOX', password: '' });
  const [smtpUrl, setSmtpUrl] = useState('');
  const [useDefaultRelay, setUseDefaultRelay] = useState(!m?.smtpConfigured);
  const [responseHours, setResponseHours] = useState<number | string>(m?.responseHours ?? 4);
  const [autoReplies, setAutoReplies] = useState(m?.autoReplies ?? true);
  const [active, setActive] = useState(m?.active ?? true);

  const save = useMutation({
    mutationFn: () => {
      // Secrets are write-only: an empty password or relay URL keeps the saved one.
      const imapBody = method === 'imap' ? { host: imap.host, port: Number(imap.port), secure: imap.secure, user: imap.user, folder: imap.folder, ...(imap.password ? { password: imap.password } : {}) } : null;
      const relay = useDefaultRelay ? null : smtpUrl.trim() ? smtpUrl.trim() : undefined;
      const body = { name, teamId, inboundMethod: method, imap: imapBody, smtpUrl: relay, responseHours: Number(responseHours), autoReplies, active };
      return isNew ? api('POST', '/email/mailboxes', { address, ...body }) : api('PATCH', `/email/mailboxes/${m!.id}`, body);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['mailboxes'] });
      onClose();
    },
  });
  const { byField, other } = fieldErrors(t, save.error, (f) => fieldsShown.some((k) => f === k || f.startsWith(`${k}.`)), mailboxError);
  const err = (field: string) => errorUnder(byField, field);

  return (
    <Modal opened onClose={onClose} title={isNew ? t('adminEmail.newMailbox') : t('adminEmail.editMailbox', { name: m!.name })} size="lg">
      <form onSubmit={(e) => (e.preventDefault(), save.mutate())} data-testid="mailbox-form">
        <Stack gap="sm">
          <Group grow align="flex-start">
            <TextInput label={t('adminEmail.address')} required disabled={!isNew} value={address} onChange={(e) => setAddress(e.currentTarget.value)} dir="ltr" error={err('address')} data-testid="mailbox-address" />
            <TextInput label={t('adminEmail.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={err('name')} data-testid="mailbox-name" />
          </Group>
          <Group grow align="flex-start">
            <Select label={t('adminEmail.team')} clearable placeholder={t('adminEmail.noTeam')} data={teams.map((tm) => ({ value: tm.id, label: tm.name }))} value={teamId} onChange={setTeamId} error={err('teamId')} />
            <Select
              label={t('adminEmail.inboundMethod')}
              data={methods.map((v) => ({ value: v, label: t(`adminEmail.method_${v}`) }))}
              value={method}
              onChange={(v) => v && setMethod(v as Mailbox['inboundMethod'])}
              allowDeselect={false}
              error={err('inboundMethod')}
              data-testid="mailbox-method"
            />
          </Group>
          {method === 'imap' && (
            <Paper withBorder p="sm">
              <Stack gap="xs">
                <Text size="sm" fw={600}>
                  {t('adminEmail.imap')}
                </Text>
                {byField.imap && (
                  <Text size="xs" c="red">
                    {byField.imap}
                  </Text>
                )}
                <Group grow align="flex-start">
                  <TextInput label={t('adminEmail.host')} required value={imap.host} onChange={(e) => setImap({ ...imap, host: e.currentTarget.value })} dir="ltr" error={err('imap.host')} />
                  <NumberInput label={t('adminEmail.port')} value={imap.port} onChange={(v) => setImap({ ...imap, port: Number(v) || 993 })} allowDecimal={false} min={1} max={65535} error={err('imap.port')} />
                </Group>
                <Group grow align="flex-start">
                  <TextInput label={t('adminEmail.user')} required value={imap.user} onChange={(e) => setImap({ ...imap, user: e.currentTarget.value })} dir="ltr" error={err('imap.user')} />
                  <PasswordInput
                    label={t('adminEmail.password')}
                    placeholder={m?.imap?.passwordSet ? t('adminEmail.passwordKept') : undefined}
                    value={imap.password}
                    onChange={(e) => setImap({ ...imap, password: e.currentTarget.value })}
                    autoComplete="new-password"
                    error={err('imap.password')}
                  />
                </Group>
                <Group grow align="flex-end">
                  <TextInput label={t('adminEmail.folder')} value={imap.folder} onChange={(e) => setImap({ ...imap, folder: e.currentTarget.value })} dir="ltr" error={err('imap.folder')} />
                  <Checkbox label={t('adminEmail.secure')} checked={imap.secure} onChange={(e) => setImap({ ...imap, secure: e.currentTarget.checked })} mb={8} />
                </Group>
              </Stack>
            </Paper>
          )}
          <Paper withBorder p="sm">
            <Stack gap="xs">
              <Text size="sm" fw={600}>
                {t('adminEmail.outbound')}
              </Text>
              <Checkbox label={t('adminEmail.useDefaultRelay')} checked={useDefaultRelay} onChange={(e) => setUseDefaultRelay(e.currentTarget.checked)} data-testid="mailbox-default-relay" />
              {!useDefaultRelay && (
                <PasswordInput
                  label={t('adminEmail.smtpUrl')}
                  description={t('adminEmail.smtpUrlHint')}
                  placeholder={m?.smtpConfigured ? t('adminEmail.passwordKept') : 'smtp://user:password@smtp.example.com:587'}
                  value={smtpUrl}
                  onChange={(e) => setSmtpUrl(e.currentTarget.value)}
                  autoComplete="off"
                  dir="ltr"
                  error={err('smtpUrl')}
                  data-testid="mailbox-smtp-url"
                />
              )}
            </Stack>
          </Paper>
          <Group grow align="flex-start">
            <NumberInput label={t('adminEmail.responseHours')} value={responseHours} onChange={setResponseHours} allowDecimal={false} min={1} error={err('responseHours')} />
            <Stack gap={6} pt={24}>
              <Switch label={t('adminEmail.autoReplies')} checked={autoReplies} onChange={(e) => setAutoReplies(e.currentTarget.checked)} />
              <Switch label={t('adminEmail.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
            </Stack>
          </Group>
          <FormActions error={other} onCancel={onClose} saving={save.isPending} saveTestId="mailbox-save" />
        </Stack>
      </form>
    </Modal>
  );
}

export function MailboxesPage() {
  const { t } = useTranslation();
  const teams = useTeams().data ?? [];
  const q = useQuery({ queryKey: ['mailboxes'], queryFn: async () => (await api<{ data: Mailbox[] }>('GET', '/email/mailboxes')).data });
  const [editing, setEditing] = useState<Mailbox | 'new' | null>(null);
  return (
    <AdminList
      title={t('adminEmail.mailboxes')}
      newLabel={t('adminEmail.newMailbox')}
      onNew={() => setEditing('new')}
      newTestId="mailbox-new"
      failed={q.isError}
      headers={[t('adminEmail.address'), t('adminEmail.name'), t('adminEmail.team'), t('adminEmail.inboundMethod'), t('adminEmail.outbound')]}
      after={editing && <MailboxEditor mailbox={editing} onClose={() => setEditing(null)} />}
    >
      {(q.data ?? []).map((m) => (
        <Table.Tr key={m.id} style={{ cursor: 'pointer' }} onClick={() => setEditing(m)} data-testid="mailbox-row">
          <Table.Td dir="ltr">{m.address}</Table.Td>
          <Table.Td dir="auto">
            {m.name} {!m.active && <Badge color="gray" variant="light" size="sm">{t('adminEmail.inactive')}</Badge>}
          </Table.Td>
          <Table.Td dir="auto">{teams.find((tm) => tm.id === m.teamId)?.name ?? ''}</Table.Td>
          <Table.Td>
            {t(`adminEmail.method_${m.inboundMethod}`)}
            {m.inboundMethod === 'imap' && m.active && m.imap?.error && (
              <Text size="xs" c="red" data-testid="mailbox-imap-error">
                {t('adminEmail.imapFailing')} <span dir="auto">{m.imap.error}</span>
              </Text>
            )}
          </Table.Td>
          <Table.Td>{m.smtpConfigured ? t('adminEmail.ownRelay') : t('adminEmail.defaultRelay')}</Table.Td>
        </Table.Tr>
      ))}
    </AdminList>
  );
}
