import { Alert, Button, Group, Select, Stack, TagsInput, TextInput } from '@mantine/core';
import { IconArrowsExchange, IconUserCheck } from '@tabler/icons-react';
import { forwardRef, useImperativeHandle, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ticketPriorities, ticketStatuses } from '../../../../common/enums';
import { ApiError } from '../../app/api-client';
import { errorText } from '../../app/api-errors';
import { useStaff, useTeams } from '../../app/queries';
import type { Me, TicketDetail } from '../../app/types';
import { TransferModal } from './transfer-modal';
import { useTicketUpdate } from './use-ticket-update';

export type PropertiesHandle = { focusStatus(): void; assignToMe(): void };

export const TicketProperties = forwardRef<PropertiesHandle, { ticket: TicketDetail; me: Me }>(function TicketProperties({ ticket, me }, ref) {
  const { t } = useTranslation();
  const staff = useStaff().data ?? [];
  const teams = useTeams().data ?? [];
  const update = useTicketUpdate(ticket);
  const [transferOpen, setTransferOpen] = useState(false);
  const statusRef = useRef<HTMLInputElement>(null);
  const readOnly = me.role === 'analyst';

  useImperativeHandle(ref, () => ({
    focusStatus: () => statusRef.current?.focus(),
    assignToMe: () => {
      if (ticket.assignee?.id !== me.id && !readOnly) update.mutate({ assigneeId: me.id });
    },
  }));

  // A conflict here has already reloaded the ticket (use-ticket-update), which ticket.conflict says.
  const conflict = update.error instanceof ApiError && update.error.code === 'version_conflict';
  const error = !update.error ? null : conflict ? t('ticket.conflict') : errorText(t, update.error);

  return (
    <Stack gap="xs" data-testid="ticket-properties">
      {error && (
        <Alert color="red" p="xs" withCloseButton closeButtonLabel={t('common.close')} onClose={() => update.reset()}>
          {error}
        </Alert>
      )}
      <Select
        ref={statusRef}
        label={t('ticket.status')}
        data-testid="field-status"
        data={ticketStatuses.map((s) => ({ value: s, label: t(`status.${s}`) }))}
        value={ticket.status}
        allowDeselect={false}
        disabled={readOnly}
        onChange={(v) => v && v !== ticket.status && update.mutate({ status: v })}
      />
      <Select
        label={t('ticket.priority')}
        data-testid="field-priority"
        data={ticketPriorities.map((s) => ({ value: s, label: t(`priority.${s}`) }))}
        value={ticket.priority}
        allowDeselect={false}
        disabled={readOnly}
        onChange={(v) => v && v !== ticket.priority && update.mutate({ priority: v })}
      />
      <Select
        label={t('ticket.assignee')}
        data-testid="field-assignee"
        searchable
        clearable
        placeholder={t('ticket.unassigned')}
        data={staff.filter((s) => (s.active && s.role !== 'analyst') || s.id === ticket.assignee?.id).map((s) => ({ value: s.id, label: s.name }))}
        value={ticket.assignee?.id ?? null}
        disabled={readOnly}
        onChange={(v) => v !== (ticket.assignee?.id ?? null) && update.mutate({ assigneeId: v })}
      />
      <Group gap="xs" grow>
        <Button size="xs" variant="light" leftSection={<IconUserCheck size={14} />} disabled={readOnly || ticket.assignee?.id === me.id} onClick={() => update.mutate({ assigneeId: me.id })} data-testid="assign-me">
          {t('ticket.assignToMe')}
        </Button>
        <Button size="xs" variant="light" leftSection={<IconArrowsExchange size={14} />} disabled={readOnly} onClick={() => setTransferOpen(true)} data-testid="transfer">
          {t('transfer.button')}
        </Button>
      </Group>
      <Select
        label={t('ticket.team')}
        data-testid="field-team"
        clearable
        placeholder={t('filters.noTeam')}
        data={teams.map((tm) => ({ value: tm.id, label: tm.name }))}
        value={ticket.team?.id ?? null}
        disabled={readOnly}
        onChange={(v) => v !== (ticket.team?.id ?? null) && update.mutate({ teamId: v })}
      />
      <TextInput
        key={`category-${ticket.version}`}
        label={t('ticket.category')}
        data-testid="field-category"
        defaultValue={ticket.category ?? ''}
        onBlur={(e) => {
          const v = e.currentTarget.value.trim() || null;
          if (v !== ticket.category) update.mutate({ category: v });
        }}
        onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
      />
      <TagsInput
        label={t('ticket.tags')}
        data-testid="field-tags"
        value={ticket.tags}
        onChange={(tags) => update.mutate({ tags })}
        clearable
      />
      <TransferModal opened={transferOpen} onClose={() => setTransferOpen(false)} ticket={ticket} me={me} />
    </Stack>
  );
});
