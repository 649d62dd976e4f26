import { Alert, Button, Group, Modal, Select, Stack, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../app/api-errors';
import { useStaff } from '../../app/queries';
import type { Me, TicketDetail } from '../../app/types';
import { useTicketUpdate } from './use-ticket-update';

/** Hands the ticket to a colleague or a manager with an internal note saying why (one change, one event). */
export function TransferModal({ opened, onClose, ticket, me }: { opened: boolean; onClose: () => void; ticket: TicketDetail; me: Me }) {
  const { t } = useTranslation();
  const staff = useStaff().data ?? [];
  const update = useTicketUpdate(ticket);
  const [to, setTo] = useState<string | null>(null);
  const [note, setNote] = useState('');

  return (
    <Modal opened={opened} onClose={onClose} title={t('transfer.title', { reference: ticket.reference })} data-testid="transfer-modal">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!to || !note.trim()) return;
          update.mutate(
            { assigneeId: to, note: note.trim() },
            {
              onSuccess: () => {
                setTo(null);
                setNote('');
                onClose();
              },
            },
          );
        }}
      >
        <Stack>
          <Select
            label={t('transfer.to')}
            searchable
            required
            // Choosing the chosen colleague again keeps them: a second click must not empty the form.
            allowDeselect={false}
            data-testid="transfer-to"
            data={staff
              .filter((s) => s.active && s.id !== me.id && s.role !== 'analyst')
              .map((s) => ({ value: s.id, label: `${s.name} · ${t(`roles.${s.role}`)}` }))}
            value={to}
            onChange={setTo}
            comboboxProps={{ withinPortal: true }}
          />
          <Textarea label={t('transfer.note')} description={t('transfer.noteHelp')} required autosize minRows={3} ref={(el) => el?.setAttribute('dir', 'auto')} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="transfer-note" />
          {update.error && <Alert color="red">{errorText(t, update.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending} disabled={!to || !note.trim()} data-testid="transfer-submit">
              {t('transfer.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
