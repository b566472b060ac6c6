import { randomUUID } from 'node:crypto';
import { inject, onTestFinished } from 'vitest';
import type {
  CloseOpportunityDto,
  CompleteActionDto,
  CompleteActionResponseDto,
  OpportunityDto,
  RescheduleDto,
  Stage,
  UpdateOpportunityDto,
} from '../../src/app/api/models';
import { runSql } from './test-database';
import { zoneNearNoon } from './time';

/** Test data made directly: tenants with SQL (there is no API for them), opportunities through the API. */

export interface Tenant {
  id: string;
  name: string;
  timezone: string;
  currency: string;
}

/** A short random suffix, so names are unique across tests and runs on a shared server. */
export function unique(): string {
  return randomUUID().slice(0, 6);
}

/**
 * A tenant of its own for one test; by default in a zone where it is around noon now (see zoneNearNoon).
 * Deleted with its data when the test ends, so that a long-lived server (E2E_BASE_URL) does not collect teams.
 */
export async function createTenant({
  name = `E2E Team ${unique()}`,
  timezone = zoneNearNoon(),
  currency = 'USD',
}: Partial<Omit<Tenant, 'id'>> = {}): Promise<Tenant> {
  const tenant = { id: `e2e-${randomUUID()}`, name, timezone, currency };
  await runSql(
    inject('databaseUrl'),
    'INSERT INTO tenants (id, name, timezone, currency) VALUES ($1, $2, $3, $4)',
    [tenant.id, tenant.name, tenant.timezone, tenant.currency],
  );
  onTestFinished(() => runSql(inject('databaseUrl'), 'DELETE FROM tenants WHERE id = $1', [tenant.id]));
  return tenant;
}

async function request<T>(
  tenantId: string,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: object,
): Promise<T> {
  const response = await fetch(`${inject('baseUrl')}/api/v1${path}`, {
    method,
    headers: { 'X-Tenant-ID': tenantId, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok)
    throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

export interface NewOpportunity {
  name: string;
  dueAt: Date;
  details?: string;
  value?: number;
  stage?: Stage;
}

export function createOpportunity(tenant: Tenant, opportunity: NewOpportunity): Promise<OpportunityDto> {
  return request(tenant.id, 'POST', '/opportunities', {
    name: opportunity.name,
    value: opportunity.value ?? 10_000,
    stage: opportunity.stage ?? 'Qualification',
    next_action_at: opportunity.dueAt.toISOString(),
    next_action_details: opportunity.details ?? `Call back about ${opportunity.name}`,
  });
}

export function getOpportunity(tenant: Tenant, id: string): Promise<OpportunityDto> {
  return request(tenant.id, 'GET', `/opportunities/${id}`);
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
  return request(tenant.id, 'POST', `/opportunities/${id}/complete_action`, body);
}

export function rescheduleAction(tenant: Tenant, id: string, body: RescheduleDto): Promise<OpportunityDto> {
  return request(tenant.id, 'POST', `/opportunities/${id}/reschedule`, body);
}

export function closeOpportunity(
  tenant: Tenant,
  id: string,
  body: CloseOpportunityDto,
): Promise<OpportunityDto> {
  return request(tenant.id, 'POST', `/opportunities/${id}/close`, body);
}

/** What a colleague's edit does: name, value and/or stage, and a new version. */
export function updateOpportunity(
  tenant: Tenant,
  id: string,
  body: UpdateOpportunityDto,
): Promise<OpportunityDto> {
  return request(tenant.id, 'PATCH', `/opportunities/${id}`, body);
}

/** The seeded demo opportunity called `name`, wherever it is due. */
export async function findDemoOpportunity(tenantId: string, name: string): Promise<OpportunityDto> {
  const until = new Date(Date.now() + 3650 * 24 * 3600 * 1000).toISOString();
  const due = await request<OpportunityDto[]>(tenantId, 'GET', `/opportunities/due?until=${until}&limit=500`);
  const found = due.find((opportunity) => opportunity.name === name);
  if (!found) throw new Error(`No opportunity "${name}" in ${tenantId}: was the demo data seeded?`);
  return found;
}
