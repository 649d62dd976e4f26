import { Button, Group, Text } from '@mantine/core';
import { IconAlertCircle, IconCheck, IconClock, IconMailForward } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, ApiError } from '../../app/api-client';
import type { Delivery } from '../../app/types';
import { useMe } from '../../app/session';
import { useFormat } from '../../i18n/format';
import { roleHas } from '../../../../common/permissions';


/** How an emailed reply is doing: quiet when it went out, loud when it did not. */
export function DeliveryStatus({ ticketId, delivery }: { ticketId: string; delivery: Delivery }) {
  const { t } = useTranslation();
  const fmt = useFormat();
  const me = useMe();
  const qc = useQueryClient();
  const resend = useMutation({
    mutationFn: () => api('POST', `/email/outbound/${delivery.outboundId}/retry`),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['ticket', ticketId] }),
  });
  const { state } = delivery;
  const common = { 'data-testid': 'delivery-status', 'data-state': state, mt: 'xs', gap: 6, wrap: 'wrap' as const };

  if (state === 'sent' || state === 'queued' || state === 'sending') {
    return (
      <Group {...common}>
        {state === 'sent' ? <IconCheck size={14} color="var(--mantine-color-dimmed)" aria-hidden /> : <IconMailForward size={14} color="var(--mantine-color-dimmed)" aria-hidden />}
        <Text size="xs" c="dimmed">
          {t(`delivery.${state}`)}
        </Text>
      </Group>
    );
  }
  if (state === 'retrying') {
    return (
      <Group {...common}>
        <IconClock size={14} color="var(--mantine-color-orange-7)" aria-hidden />
        <Text size="xs" c="orange.8">
          {delivery.nextAttemptAt
            ? t('delivery.retryingAt', { time: fmt.dateTime(delivery.nextAttemptAt), attempts: fmt.number(delivery.attempts) })
            : t('delivery.retrying', { attempts: fmt.number(delivery.attempts) })}
        </Text>
        {delivery.lastError && (
          <Text size="xs" c="dimmed" dir="ltr" data-testid="delivery-error">
            {delivery.lastError}
          </Text>
        )}
      </Group>
    );
  }
  return (
    <Group {...common} role="alert">
      <IconAlertCircle size={16} color="var(--mantine-color-red-7)" aria-hidden />
      <Text size="sm" c="red.8" fw={600}>
        {t(`delivery.${state}`)}
      </Text>
      {delivery.lastError && (
        <Text size="xs" c="red.8" dir="ltr" data-testid="delivery-error">
          {delivery.lastError}
        </Text>
      )}
      {roleHas(me.role, 'tickets.reply') && (
        <Button size="compact-xs" variant="light" color="red" loading={resend.isPending} onClick={() => resend.mutate()} data-testid="delivery-resend">
          {t('delivery.sendAgain')}
        </Button>
      )}
      {resend.error && (
        <Text size="xs" c="red.8">
          {resend.error instanceof ApiError && resend.error.status === 403 ? t('delivery.notAllowed') : t('delivery.resendFailed')}
        </Text>
      )}
    </Group>
  );
}
