import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../app/api-client';
import type { TicketDetail } from '../../app/types';

export type TicketChange = Partial<{
  status: string;
  priority: string;
  assigneeId: string | null;
  teamId: string | null;
  category: string | null;
  tags: string[];
  note: string;
}>;

/** PATCH with the version we last read: a stale write answers 409 and we reload instead of overwriting. */
export function useTicketUpdate(ticket: TicketDetail) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (change: TicketChange) => api<TicketDetail>('PATCH', `/tickets/${ticket.id}`, { ...change, version: ticket.version }),
    onSuccess: (updated) => {
      qc.setQueryData<TicketDetail>(['ticket', ticket.id], (old) => ({ ...updated, context: old?.context }));
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      void qc.invalidateQueries({ queryKey: ['counts'] });
      void qc.invalidateQueries({ queryKey: ['timeline', ticket.id] });
    },
    onError: () => {
      void qc.invalidateQueries({ queryKey: ['ticket', ticket.id] });
    },
  });
}
