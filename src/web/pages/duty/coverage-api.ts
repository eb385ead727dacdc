import { request } from '../../api.ts';

/** The coverage endpoints (`/api/v1/coverage/…`), typed for the duty page. */

export interface CoveragePersonRef {
  id: number;
  name: string;
  role: string;
  languages: string[];
}

export interface NextOnDuty {
  person: CoveragePersonRef;
  at: string;
}

export interface CoverageNow {
  at: string;
  absent_ids: number[];
  communities: {
    id: number;
    slug: string;
    name: string;
    language: string;
    on_duty: CoveragePersonRef[];
    next: NextOnDuty | null;
  }[];
  languages: { language: string; community_ids: number[]; on_duty: CoveragePersonRef[]; next: NextOnDuty | null }[];
}

export interface GapHour {
  at: string;
  on_duty: number;
  partly: number;
  gap: boolean;
}

export interface CoverageGaps {
  from: string;
  days: number;
  communities: {
    id: number;
    slug: string;
    name: string;
    hours: GapHour[];
    gap_hours: number;
    gaps: { from: string; to: string; hours: number }[];
  }[];
}

export interface Proposal {
  id: number;
  name: string;
  role: string;
  backs_up: string[];
}

export interface ForecastHour {
  at: string;
  holiday: boolean;
  expected: number;
  on_duty: number;
  capacity: number;
  needed: number;
  understaffed: boolean;
}

export interface CoverageForecast {
  per_person_hour: { value: number; source: 'request' | 'organization' | 'history' | 'default' };
  backups_from: 'person_backups' | 'roles';
  communities: {
    id: number;
    slug: string;
    name: string;
    trend: number;
    expected_total: number;
    understaffed: (ForecastHour & { proposals: Proposal[] })[];
  }[];
}

export const ABSENCE_REASONS = ['holiday', 'sick', 'training', 'other'] as const;
export type AbsenceReason = (typeof ABSENCE_REASONS)[number];

export interface Absence {
  id: number;
  person_id: number;
  person_name: string;
  starts_at: string;
  ends_at: string;
  /** null: not yours to know (someone else's absence you do not plan). */
  reason: AbsenceReason | null;
  note: string | null;
  editable: boolean;
}

export interface Holiday {
  id: number;
  date: string;
  name: string;
  community_id: number | null;
  cancels_shifts: boolean;
}

export const coverageApi = {
  now: (signal?: AbortSignal) => request<CoverageNow>('GET', '/api/v1/coverage/now', { signal }),
  gaps: (days: number, signal?: AbortSignal) =>
    request<CoverageGaps>('GET', `/api/v1/coverage/gaps?days=${days}`, { signal }),
  forecast: (days: number, signal?: AbortSignal) =>
    request<CoverageForecast>('GET', `/api/v1/coverage/forecast?days=${days}`, { signal }),
  absences: (signal?: AbortSignal) => request<Absence[]>('GET', '/api/v1/coverage/absences', { signal }),
  addAbsence: (body: { person_id?: number; starts_at: string; ends_at: string; reason: AbsenceReason; note: string }) =>
    request<{ id: number }>('POST', '/api/v1/coverage/absences', { body }),
  removeAbsence: (id: number) => request<void>('DELETE', `/api/v1/coverage/absences/${id}`),
  holidays: (signal?: AbortSignal) => request<Holiday[]>('GET', '/api/v1/coverage/holidays', { signal }),
  addHoliday: (body: { date: string; name: string; community_id: number | null; cancels_shifts: boolean }) =>
    request<{ id: number }>('POST', '/api/v1/coverage/holidays', { body }),
  removeHoliday: (id: number) => request<void>('DELETE', `/api/v1/coverage/holidays/${id}`),
};
