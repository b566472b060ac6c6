import type { ParamMap, Params } from '@angular/router';
import type { OpportunitiesList$Params } from '../api/functions';
import type { ListSort, ListStatus, Stage } from '../api/models';
import { LIST_SORT } from '../api/models/list-sort-array';
import { LIST_STATUS } from '../api/models/list-status-array';
import { STAGE } from '../api/models/stage-array';

/** What the All opportunities page shows; the URL's query parameters carry it, so links and reloads keep the view. */
export interface PipelineQuery {
  status: ListStatus;
  stage: Stage | null;
  q: string;
  minValue: number | null;
  maxValue: number | null;
  sort: ListSort;
}

export const DEFAULT_QUERY: PipelineQuery = {
  status: 'open',
  stage: null,
  q: '',
  minValue: null,
  maxValue: null,
  sort: 'next_action_at',
};

/** The columns the API can sort by; the table's matSort ids are the same names. */
export type SortColumn = 'name' | 'next_action_at' | 'value' | 'updated_at';
export type SortDirection = 'asc' | 'desc';

export function sortOf(column: SortColumn, direction: SortDirection): ListSort {
  return direction === 'desc' ? `-${column}` : column;
}

export function sortColumnOf(sort: ListSort): { column: SortColumn; direction: SortDirection } {
  return sort.startsWith('-')
    ? { column: sort.slice(1) as SortColumn, direction: 'desc' }
    : { column: sort as SortColumn, direction: 'asc' };
}

function oneOf<T extends string>(allowed: readonly T[], value: string | null): T | null {
  return allowed.find((candidate) => candidate === value) ?? null;
}

function amount(value: string | null): number | null {
  if (value === null || value.trim() === '') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) && parsed >= 0 ? parsed : null;
}

/** A hand-edited or outdated link falls back to the defaults for what it gets wrong, instead of an API error. */
export function queryFromParams(params: ParamMap): PipelineQuery {
  return {
    status: oneOf(LIST_STATUS, params.get('status')) ?? DEFAULT_QUERY.status,
    stage: oneOf(STAGE, params.get('stage')),
    q: (params.get('q') ?? '').trim(),
    minValue: amount(params.get('min_value')),
    maxValue: amount(params.get('max_value')),
    sort: oneOf(LIST_SORT, params.get('sort')) ?? DEFAULT_QUERY.sort,
  };
}

/** The URL's query parameters for a query: defaults are left out, so the plain page has a plain address. */
export function queryToParams(query: PipelineQuery): Params {
  const params: Params = {};
  if (query.status !== DEFAULT_QUERY.status) params['status'] = query.status;
  if (query.stage) params['stage'] = query.stage;
  if (query.q.trim()) params['q'] = query.q.trim();
  if (query.minValue !== null) params['min_value'] = String(query.minValue);
  if (query.maxValue !== null) params['max_value'] = String(query.maxValue);
  if (query.sort !== DEFAULT_QUERY.sort) params['sort'] = query.sort;
  return params;
}

export function sameQuery(a: PipelineQuery, b: PipelineQuery): boolean {
  return (
    a.status === b.status &&
    a.stage === b.stage &&
    a.q === b.q &&
    a.minValue === b.minValue &&
    a.maxValue === b.maxValue &&
    a.sort === b.sort
  );
}

/** The list request of a query; the API's defaults are left to the API. */
export function queryToApiParams(query: PipelineQuery): OpportunitiesList$Params {
  const params: OpportunitiesList$Params = { status: query.status, sort: query.sort };
  if (query.stage) params.stage = query.stage;
  if (query.q.trim()) params.q = query.q.trim();
  if (query.minValue !== null) params.min_value = query.minValue;
  if (query.maxValue !== null) params.max_value = query.maxValue;
  return params;
}

/** Whether anything narrows the list beyond the default status, i.e. whether "Clear filters" helps. */
export function isFiltered(query: PipelineQuery): boolean {
  return (
    query.status !== DEFAULT_QUERY.status ||
    query.stage !== null ||
    query.q !== '' ||
    query.minValue !== null ||
    query.maxValue !== null
  );
}

const STATUS_WORDS: Record<ListStatus, string> = {
  open: 'open',
  won: 'won',
  lost: 'lost',
  closed: 'closed',
  all: '',
};

/** "No won opportunities in Negotiation matching “acme”, worth at least $1,000.": the empty state's explanation. */
export function describeEmpty(query: PipelineQuery, money: (value: number) => string): string {
  const status = STATUS_WORDS[query.status];
  let sentence = `There are no ${status ? status + ' ' : ''}opportunities`;
  if (query.stage) sentence += ` in ${query.stage}`;
  if (query.q) sentence += ` matching “${query.q}”`;
  const { minValue, maxValue } = query;
  if (minValue !== null && maxValue !== null) sentence += `, worth ${money(minValue)} to ${money(maxValue)}`;
  else if (minValue !== null) sentence += `, worth at least ${money(minValue)}`;
  else if (maxValue !== null) sentence += `, worth at most ${money(maxValue)}`;
  return sentence + '.';
}
