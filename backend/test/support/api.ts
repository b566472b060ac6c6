import type { Response } from 'supertest';
import type { OpportunityEventDto } from '../../src/opportunities/dto/opportunity-event.dto';
import type { OpportunityDto } from '../../src/opportunities/dto/opportunity.dto';
import type { TestApp, TestUser } from './test-app';

export const OPPORTUNITIES = '/api/v1/opportunities';
export const VALIDATION_DETAIL = 'The request is invalid: see errors for each field.';
export const NOT_FOUND_ERROR = {
  detail: 'Opportunity not found or access denied',
  error_code: 'OPPORTUNITY_NOT_FOUND',
};
export const CLOSED_ERROR = {
  detail: 'The opportunity is closed: reopen it with a new next action first.',
  error_code: 'OPPORTUNITY_CLOSED',
};

export type Body = Record<string, unknown>;
export type Query = Record<string, string | number>;

/** The error envelope as a client reads it: error codes are plain strings on the wire. */
export interface ErrorEnvelope {
  detail: string;
  error_code: string;
  errors?: { field: string; message: string }[];
}

export function versionConflict(expected: number, current: number): ErrorEnvelope {
  return {
    detail: `The opportunity changed elsewhere: expected version ${expected}, current version is ${current}. Reload it and try again.`,
    error_code: 'VERSION_CONFLICT',
  };
}

/** The target of a `Link: <…>; rel="next"` header, or undefined on the last page. */
export function nextLink(response: Response): string | undefined {
  const link = response.get('Link');
  if (link === undefined) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  if (!match) throw new Error(`Link header is not a single rel="next" link: ${link}`);
  return match[1];
}

export function cursorOf(link: string): string {
  const cursor = new URL(link, 'http://localhost').searchParams.get('cursor');
  if (!cursor) throw new Error(`no cursor in ${link}`);
  return cursor;
}

export function idsOf(response: Response): string[] {
  return (response.body as { id: string }[]).map((row) => row.id);
}

/** The request a client sends for one tenant, route by route, signed in as `user` (default: its first member). */
export function apiFor(t: TestApp, tenant: string, user?: TestUser) {
  const headers = () => t.headersFor(tenant, user);
  const get = (path: string, query: Query = {}) => t.http().get(path).set(headers()).query(query);
  const post = (path: string, body: Body) => t.http().post(path).set(headers()).send(body);
  return {
    create: (overrides: Body = {}) =>
      post(OPPORTUNITIES, {
        name: 'Acme Corp Deal',
        value: 50000,
        stage: 'Proposal',
        next_action_at: '2026-07-15T09:00:00Z',
        next_action_details: 'Follow up on proposal feedback',
        ...overrides,
      }),
    get: (id: string) => get(`${OPPORTUNITIES}/${id}`),
    patch: (id: string, body: Body) => t.http().patch(`${OPPORTUNITIES}/${id}`).set(headers()).send(body),
    complete: (id: string, body: Body) => post(`${OPPORTUNITIES}/${id}/complete_action`, body),
    reschedule: (id: string, body: Body) => post(`${OPPORTUNITIES}/${id}/reschedule`, body),
    close: (id: string, body: Body) => post(`${OPPORTUNITIES}/${id}/close`, body),
    reopen: (id: string, body: Body) => post(`${OPPORTUNITIES}/${id}/reopen`, body),
    bulkComplete: (body: Body) => post(`${OPPORTUNITIES}/bulk/complete`, body),
    bulkReschedule: (body: Body) => post(`${OPPORTUNITIES}/bulk/reschedule`, body),
    timeline: (id: string, query: Query = {}) => get(`${OPPORTUNITIES}/${id}/actions`, query),
    list: (query: Query = {}) => get(OPPORTUNITIES, query),
    due: (query: Query = {}) => get(`${OPPORTUNITIES}/due`, query),
    summary: (query: Query = {}) => get(`${OPPORTUNITIES}/due/summary`, query),
    follow: (link: string) => get(link),
  };
}

export type Api = ReturnType<typeof apiFor>;

/** Creates an opportunity and answers its body, failing the test when the API refuses it. */
export async function created(api: Api, overrides: Body = {}): Promise<OpportunityDto> {
  const response = await api.create(overrides);
  expect(response.status).toBe(201);
  return response.body as OpportunityDto;
}

/** Every page from `first` on, following rel="next" links; the rows in the order they came, and the links. */
export async function allPages<T>(
  api: Api,
  first: Response,
): Promise<{ rows: T[]; pages: number[]; links: string[] }> {
  const rows: T[] = [];
  const pages: number[] = [];
  const links: string[] = [];
  let response = first;
  for (;;) {
    expect(response.status).toBe(200);
    const page = response.body as T[];
    rows.push(...page);
    pages.push(page.length);
    const link = nextLink(response);
    if (link === undefined) return { rows, pages, links };
    if (links.length > 50) throw new Error('the Link chain does not end');
    links.push(link);
    response = await api.follow(link);
  }
}

export type TimelineRow = Pick<OpportunityEventDto, 'id' | 'type'>;

/** The timeline straight from the table, in the order the API promises: newest first, ties by id. */
export async function timelineInDatabase(
  t: TestApp,
  tenant: string,
  opportunityId: string,
): Promise<TimelineRow[]> {
  return t.dataSource.query<TimelineRow[]>(
    `SELECT id::text AS id, type FROM opportunity_actions
     WHERE tenant_id = $1 AND opportunity_id = $2 ORDER BY occurred_at DESC, id DESC`,
    [tenant, opportunityId],
  );
}

/** The event types of an opportunity's timeline, newest first. */
export async function eventTypes(t: TestApp, tenant: string, opportunityId: string): Promise<string[]> {
  return (await timelineInDatabase(t, tenant, opportunityId)).map((row) => row.type);
}
