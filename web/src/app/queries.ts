import { useQuery } from '@tanstack/react-query';
import { allPages, api } from './api-client';
import type { Counts, Staff, Team } from './types';

export const useCounts = () => useQuery({ queryKey: ['counts'], queryFn: () => api<Counts>('GET', '/tickets/counts'), refetchInterval: 60_000 });
export const useTeams = () => useQuery({ queryKey: ['teams'], queryFn: async () => (await api<{ data: Team[] }>('GET', '/teams')).data, staleTime: 60_000 });
/** All staff, every page: the pickers and the admin pages show the whole list. */
export const useStaff = () => useQuery({ queryKey: ['staff'], queryFn: () => allPages<Staff>('/staff'), staleTime: 60_000 });

