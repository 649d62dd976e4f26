import { Button, Group, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { roleHas } from '../../../../common/permissions';
import { api } from '../../app/api-client';
import { errorText } from '../../app/api-errors';
import { useMe } from '../../app/session';

/**
 * The service tier of a customer or an organization (SLA policies may match on it), edited in place
 * by admins and managers; others see it without a way to change it.
 */
export function TierField({ path, tier, queryKey }: { path: string; tier: string | null; queryKey: unknown[] }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const mayChange = roleHas(useMe().role, 'settings.manage');
  const [value, setValue] = useState(tier ?? '');
  useEffect(() => setValue(tier ?? ''), [tier]);
  const save = useMutation({
    mutationFn: () => api('PATCH', path, { tier: value.trim() || null }),
    onSuccess: () => void qc.invalidateQueries({ queryKey }),
  });
  const changed = value.trim().toLowerCase() !== (tier ?? '');
  return (
    <form onSubmit={(e) => (e.preventDefault(), save.mutate())}>
      <Group align="end" gap="xs">
        <TextInput
          label={t('tier.label')}
          description={mayChange ? t('tier.help') : t('tier.readOnly')}
          readOnly={!mayChange}
          placeholder={t('tier.placeholder')}
          value={value}
          onChange={(e) => setValue(e.currentTarget.value)}
          error={save.error ? errorText(t, save.error) : undefined}
          data-testid="tier-input"
          dir="auto"
          w={260}
        />
        {mayChange && (
          <Button type="submit" variant="light" disabled={!changed} loading={save.isPending} data-testid="tier-save">
            {t('common.save')}
          </Button>
        )}
      </Group>
    </form>
  );
}
