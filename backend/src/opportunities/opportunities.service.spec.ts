import type { DataSource, EntityManager } from 'typeorm';
import { ApiError } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import { Clock } from '../common/clock';
import type { TenantContext } from '../tenancy/tenant-context';
import type { Tenant } from '../tenants/tenant.entity';
import { OpportunitiesRepository } from './opportunities.repository';
import { OpportunitiesService } from './opportunities.service';
import type { OpportunityAction } from './opportunity-action.entity';
import type { Opportunity } from './opportunity.entity';

const NOW = new Date('2026-11-26T15:00:00.000Z');
const tenant: Tenant = {
  id: 'acme',
  name: 'Acme',
  timezone: 'Europe/Berlin',
  currency: 'EUR',
  createdAt: NOW,
};

function opportunity(changes: Partial<Opportunity> = {}): Opportunity {
  return {
    tenantId: 'acme',
    id: '123e4567-e89b-12d3-a456-426614174000',
    name: 'Deal',
    value: 10,
    stage: 'Proposal',
    nextActionAt: new Date('2026-11-25T10:00:00Z'),
    nextActionDetails: 'Call',
    version: 3,
    createdAt: NOW,
    updatedAt: NOW,
    ...changes,
  };
}

function setup(current: Opportunity | null = opportunity()) {
  const appended: OpportunityAction[] = [];
  const updated: Opportunity[] = [];
  const repository = {
    findForUpdate: jest.fn().mockResolvedValue(current),
    appendAction: jest.fn((_manager: EntityManager, action: OpportunityAction) => {
      appended.push(action);
      return Promise.resolve();
    }),
    updateIfVersion: jest.fn((_manager: EntityManager, next: Opportunity) => {
      updated.push(next);
      return Promise.resolve(true);
    }),
    findDue: jest.fn().mockResolvedValue([]),
  };
  const dataSource = {
    transaction: (work: (manager: EntityManager) => Promise<unknown>) => work({} as EntityManager),
  };
  const clock: Clock = { now: () => new Date(NOW) };
  const context = { current: tenant } as TenantContext;
  const service = new OpportunitiesService(
    repository as unknown as OpportunitiesRepository,
    dataSource as unknown as DataSource,
    context,
    clock,
  );
  return { service, repository, appended, updated };
}

async function errorOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError');
}

const complete = { new_next_action_at: '2026-11-27T09:00:00Z', new_next_action_details: 'Send contract' };

describe('OpportunitiesService.completeAction', () => {
  it('moves the current action into the history and plans the next one with version + 1', async () => {
    const { service, appended, updated } = setup();
    const result = await service.completeAction(opportunity().id, { ...complete, notes: 'Good call' });
    expect(appended).toEqual([
      expect.objectContaining({
        details: 'Call',
        dueAt: new Date('2026-11-25T10:00:00Z'),
        completedAt: NOW,
        notes: 'Good call',
      }),
    ]);
    expect(updated[0]).toMatchObject({ nextActionDetails: 'Send contract', version: 4, updatedAt: NOW });
    expect(result.opportunity).toMatchObject({ version: 4, is_overdue: false });
  });

  it.each([
    ['in the past', '2026-11-26T14:59:59.999Z'],
    ['exactly now', NOW.toISOString()],
  ])('refuses a next action %s, before touching the database', async (_label, at) => {
    const { service, repository } = setup();
    const error = await errorOf(service.completeAction('x', { ...complete, new_next_action_at: at }));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.errors).toEqual([
      { field: 'new_next_action_at', message: 'new_next_action_at must be in the future' },
    ]);
    expect(repository.findForUpdate).not.toHaveBeenCalled();
  });

  it('answers OPPORTUNITY_NOT_FOUND when the row is missing or belongs to another tenant', async () => {
    const { service, appended } = setup(null);
    expect((await errorOf(service.completeAction('x', complete))).code).toBe(ErrorCode.OPPORTUNITY_NOT_FOUND);
    expect(appended).toEqual([]);
  });

  it('answers VERSION_CONFLICT and writes nothing when expected_version is stale', async () => {
    const { service, appended, updated } = setup();
    const error = await errorOf(service.completeAction('x', { ...complete, expected_version: 2 }));
    expect(error.code).toBe(ErrorCode.VERSION_CONFLICT);
    expect(error.detail).toContain('current version is 3');
    expect(appended).toEqual([]);
    expect(updated).toEqual([]);
  });

  it('scopes the lookup to the tenant of the request', async () => {
    const { service, repository } = setup();
    await service.completeAction('some-id', complete);
    expect(repository.findForUpdate).toHaveBeenCalledWith(expect.anything(), 'acme', 'some-id');
  });
});

describe('OpportunitiesService.listDue', () => {
  it("uses the tenant's zone for end of today unless until is given", async () => {
    const { service, repository } = setup();
    await service.listDue({ limit: 10 });
    expect(repository.findDue).toHaveBeenCalledWith(
      'acme',
      { now: NOW, timezone: 'Europe/Berlin', from: undefined, until: undefined },
      undefined,
      10,
    );
  });

  it('refuses a window whose from is not before until', async () => {
    const { service } = setup();
    const error = await errorOf(
      service.listDue({ limit: 10, from: '2026-11-27T00:00:00Z', until: '2026-11-27T00:00:00Z' }),
    );
    expect(error.errors).toEqual([{ field: 'until', message: 'until must be after from' }]);
  });
});
