import { Alert, Button, Center, Group, Loader, Text, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from './api-errors';

/** What the list pages read of a paged query (react-query's infinite query). */
type PagedList = { isLoading: boolean; error: unknown; hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => Promise<unknown> };

/** A search field that asks on Enter; an empty one clears the search. */
export function SearchBox({ label, onSearch }: { label: string; onSearch: (q: string | undefined) => void }) {
  const [q, setQ] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(q.trim() || undefined);
      }}
    >
      <TextInput w={320} label={label} value={q} onChange={(e) => setQ(e.currentTarget.value)} leftSection={<IconSearch size={14} />} />
    </form>
  );
}

/** Under a list's rows: loading, the error, or that there is nothing. */
export function ListStatus({ list, rows }: { list: PagedList; rows: number }) {
  const { t } = useTranslation();
  if (list.isLoading) {
    return (
      <Center p="md">
        <Loader size="sm" aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (list.error) return <Alert color="red">{errorText(t, list.error)}</Alert>;
  if (rows === 0) {
    return (
      <Text p="md" c="dimmed" ta="center">
        {t('common.nothing')}
      </Text>
    );
  }
  return null;
}

/** The next page, when there is one; `label` where "Load more" would not say what comes. */
export function LoadMore({ list, label }: { list: PagedList; label?: string }) {
  const { t } = useTranslation();
  if (!list.hasNextPage) return null;
  return (
    <Group justify="center">
      <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
        {label ?? t('common.loadMore')}
      </Button>
    </Group>
  );
}
