import { randomUUID } from 'node:crypto';
import { inject, onTestFinished } from 'vitest';
import type {
  AddMemberResultDto,
  CloseOpportunityDto,
  CompleteActionDto,
  CompleteActionResponseDto,
  OpportunityDto,
  RescheduleDto,
  SessionDto,
  Stage,
  UpdateOpportunityDto,
} from '../../src/app/api/models';
import { runSql } from './test-database';
import { zoneNearNoon } from './time';

/**
 * Test data made through the API, as its users would: a tenant (and its first admin) by signing up, members by
 * invitation, opportunities by the people who own them. What a test creates is deleted when it ends (with SQL),
 * so that a long-lived server (E2E_BASE_URL) does not collect teams.
 */

/** The password of every account the tests create (the API asks for at least 10 characters). */
export const E2E_PASSWORD = 'e2e-password-1234';

/** Someone who can sign in, with an access token for setting up data through the API. */
export interface User {
  id: string;
  email: string;
  name: string;
  password: string;
  token: string;
}

export interface Tenant {
  id: string;
  name: string;
  timezone: string;
  currency: string;
  /** The first admin, who signed the team up. */
  admin: User;
}

export type Role = 'rep' | 'manager' | 'admin';

/** A short random suffix, so names are unique across tests and runs on a shared server. */
export function unique(): string {
  return randomUUID().slice(0, 6);
}

function uniqueEmail(label: string): string {
  return `${label}-${randomUUID()}@e2e.test`;
}

/** Deletes, when the test ends, the accounts it created (tenants cascade to their data). */
function deleteWhenDone(table: 'tenants' | 'users', column: 'id' | 'email', value: string): void {
  onTestFinished(() => runSql(inject('databaseUrl'), `DELETE FROM ${table} WHERE ${column} = $1`, [value]));
}

async function call<T>(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
  path: string,
  { token, tenantId, body }: { token?: string; tenantId?: string; body?: object } = {},
): Promise<T> {
  const response = await fetch(`${inject('baseUrl')}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(tenantId ? { 'X-Tenant-ID': tenantId } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

function userOf(session: SessionDto, password: string): User {
  const { id, email, name } = session.user;
  return { id, email, name, password, token: session.access_token };
}

/**
 * A tenant of its own for one test, signed up through the API by its first admin; by default in a zone where it
 * is around noon now (see zoneNearNoon).
 */
export async function createTenant({
  name = `E2E Team ${unique()}`,
  timezone = zoneNearNoon(),
  currency = 'USD',
  adminName = `Alex Admin ${unique()}`,
}: Partial<Omit<Tenant, 'id' | 'admin'>> & { adminName?: string } = {}): Promise<Tenant> {
  const email = uniqueEmail('admin');
  deleteWhenDone('users', 'email', email);
  const session = await call<SessionDto>('POST', '/signup', {
    body: { tenant_name: name, timezone, currency, name: adminName, email, password: E2E_PASSWORD },
  });
  const id = session.user.memberships[0].tenant_id;
  deleteWhenDone('tenants', 'id', id);
  return { id, name, timezone, currency, admin: userOf(session, E2E_PASSWORD) };
}

/** Adds someone new to the team as its admin would, and signs them in with the invitation link's token. */
export async function addMember(tenant: Tenant, role: Role, name = `${role} ${unique()}`): Promise<User> {
  const email = uniqueEmail(role);
  deleteWhenDone('users', 'email', email);
  const added = await call<AddMemberResultDto>('POST', '/memberships', {
    token: tenant.admin.token,
    tenantId: tenant.id,
    body: { email, role, name },
  });
  if (!added.invitation) throw new Error(`${email} was expected to be new, and invited`);
  const session = await call<SessionDto>('POST', '/auth/invitation', {
    body: { token: added.invitation.token, password: E2E_PASSWORD },
  });
  return userOf(session, E2E_PASSWORD);
}

/** Adds an existing user (e.g. another team's admin) to the team, at once. */
export async function addExistingUser(tenant: Tenant, user: User, role: Role): Promise<void> {
  await call('POST', '/memberships', {
    token: tenant.admin.token,
    tenantId: tenant.id,
    body: { email: user.email, role },
  });
}

/** Signs in through the API: the access token of an existing account (e.g. a seeded demo user). */
export async function signIn(email: string, password: string): Promise<User> {
  const session = await call<SessionDto>('POST', '/auth/login', { body: { email, password } });
  return userOf(session, password);
}

/** A call to a tenant's data as `user` (by default its admin). */
function request<T>(
  tenant: Pick<Tenant, 'id'> & { admin?: User },
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: object,
  user: User | undefined = tenant.admin,
): Promise<T> {
  if (!user) throw new Error(`Who calls ${path} in ${tenant.id}?`);
  return call<T>(method, path, { token: user.token, tenantId: tenant.id, body });
}

export interface NewOpportunity {
  name: string;
  dueAt: Date;
  details?: string;
  value?: number;
  stage?: Stage;
  /** Whose deal it is; by default the admin's, who creates it. */
  owner?: User;
}

export function createOpportunity(tenant: Tenant, opportunity: NewOpportunity): Promise<OpportunityDto> {
  return request(tenant, 'POST', '/opportunities', {
    name: opportunity.name,
    value: opportunity.value ?? 10_000,
    stage: opportunity.stage ?? 'Qualification',
    next_action_at: opportunity.dueAt.toISOString(),
    next_action_details: opportunity.details ?? `Call back about ${opportunity.name}`,
    ...(opportunity.owner ? { owner_id: opportunity.owner.id } : {}),
  });
}

export function getOpportunity(tenant: Tenant, id: string): Promise<OpportunityDto> {
  return request(tenant, 'GET', `/opportunities/${id}`);
}

/** When an open deal's next action is due; a closed deal has none, and a test that meets one is wrong. */
export function nextActionAt(opportunity: OpportunityDto): Date {
  if (opportunity.next_action_at === null) {
    throw new Error(`"${opportunity.name}" has no next action: it is ${opportunity.status}`);
  }
  return new Date(opportunity.next_action_at);
}

export function completeAction(
  tenant: Tenant,
  id: string,
  body: CompleteActionDto,
): Promise<CompleteActionResponseDto> {
  return request(tenant, 'POST', `/opportunities/${id}/complete_action`, body);
}

export function rescheduleAction(tenant: Tenant, id: string, body: RescheduleDto): Promise<OpportunityDto> {
  return request(tenant, 'POST', `/opportunities/${id}/reschedule`, body);
}

export function closeOpportunity(
  tenant: Tenant,
  id: string,
  body: CloseOpportunityDto,
): Promise<OpportunityDto> {
  return request(tenant, 'POST', `/opportunities/${id}/close`, body);
}

/** What a colleague's edit does: name, value and/or stage, and a new version. */
export function updateOpportunity(
  tenant: Tenant,
  id: string,
  body: UpdateOpportunityDto,
): Promise<OpportunityDto> {
  return request(tenant, 'PATCH', `/opportunities/${id}`, body);
}

/** The seeded demo opportunity called `name`, wherever it is due, as `user` (a manager of the demo team) sees it. */
export async function findDemoOpportunity(
  tenantId: string,
  name: string,
  user: User,
): Promise<OpportunityDto> {
  const until = new Date(Date.now() + 3650 * 24 * 3600 * 1000).toISOString();
  const due = await request<OpportunityDto[]>(
    { id: tenantId },
    'GET',
    `/opportunities/due?scope=team&until=${until}&limit=500`,
    undefined,
    user,
  );
  const found = due.find((opportunity) => opportunity.name === name);
  if (!found) throw new Error(`No opportunity "${name}" in ${tenantId}: was the demo data seeded?`);
  return found;
}
