import type { AuditLog } from '../audit/audit-log';
import type { TenantMembers } from '../memberships/tenant-members';
import type { BusinessMetrics } from '../metrics/business-metrics';
import { ApiError } from '../common/errors/api-error';
import { ErrorCode } from '../common/errors/error-code';
import type { Clock } from '../common/clock';
import { TenantContext } from '../tenancy/tenant-context';
import type { Role } from '../tenancy/role';
import type { Tenant } from '../tenants/tenant.entity';
import { OpportunitiesRepository } from './opportunities.repository';
import { OpportunitiesService } from './opportunities.service';
import type { OpportunityEvent } from './opportunity-event.entity';
import { OpportunityLifecycle } from './opportunity-lifecycle.service';
import type { Opportunity } from './opportunity.entity';

const NOW = new Date('2026-11-26T15:00:00.000Z');
const USER = '6f1c2a9e-3b7d-4c55-9a0e-2d8b1f4e7a10';
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
    ownerId: USER,
    nextActionAt: new Date('2026-11-25T10:00:00Z'),
    nextActionDetails: 'Call',
    rescheduleCount: 0,
    closedAt: null,
    version: 3,
    createdAt: NOW,
    updatedAt: NOW,
    ...changes,
  };
}

function setup(current: Opportunity | null = opportunity(), role: Role = 'rep') {
  const events: OpportunityEvent[] = [];
  const updated: Opportunity[] = [];
  const repository = {
    findForUpdate: jest.fn().mockResolvedValue(current),
    appendEvent: jest.fn((event: OpportunityEvent) => {
      events.push(event);
      return Promise.resolve();
    }),
    updateIfVersion: jest.fn((next: Opportunity) => {
      updated.push(next);
      return Promise.resolve(true);
    }),
    findDue: jest.fn().mockResolvedValue([]),
  };
  const clock: Clock = { now: () => new Date(NOW) };
  const member = { tenant, userId: USER, role };
  const context = new TenantContext({ get: () => member, set: () => undefined } as never);
  const members = { isMember: jest.fn().mockResolvedValue(true) } as unknown as TenantMembers;
  const audit = { record: jest.fn().mockResolvedValue(undefined) } as unknown as AuditLog;
  const repo = repository as unknown as OpportunitiesRepository;
  const metrics = {
    actionCompleted: jest.fn(),
    opportunityCreated: jest.fn(),
  } as unknown as BusinessMetrics;
  return {
    lifecycle: new OpportunityLifecycle(repo, context, members, audit, clock, metrics),
    service: new OpportunitiesService(repo, context, members, clock, metrics),
    repository,
    events,
    updated,
  };
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
const closed = opportunity({
  stage: 'Closed Won',
  nextActionAt: null,
  nextActionDetails: null,
  closedAt: NOW,
});

describe('completing an action', () => {
  it('moves the current action into the timeline and plans the next one with version + 1', async () => {
    const { lifecycle, events, updated } = setup(opportunity({ rescheduleCount: 2 }));
    const result = await lifecycle.completeAction(opportunity().id, { ...complete, notes: 'Good call' });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'completed',
        details: 'Call',
        dueAt: new Date('2026-11-25T10:00:00Z'),
        completedAt: NOW,
        occurredAt: NOW,
        notes: 'Good call',
      }),
    ]);
    expect(updated[0]).toMatchObject({
      nextActionDetails: 'Send contract',
      version: 4,
      updatedAt: NOW,
      rescheduleCount: 0,
    });
    expect(result.opportunity).toMatchObject({ version: 4, is_overdue: false, reschedule_count: 0 });
  });

  it.each([
    ['in the past', '2026-11-26T14:59:59.999Z'],
    ['exactly now', NOW.toISOString()],
  ])('refuses a next action %s and writes nothing', async (_label, at) => {
    const { lifecycle, events, updated } = setup();
    const error = await errorOf(lifecycle.completeAction('x', { ...complete, new_next_action_at: at }));
    expect(error.code).toBe(ErrorCode.VALIDATION_ERROR);
    expect(error.errors).toEqual([
      { field: 'new_next_action_at', message: 'new_next_action_at must be in the future' },
    ]);
    expect(events).toEqual([]);
    expect(updated).toEqual([]);
  });

  it('answers OPPORTUNITY_NOT_FOUND when the row is missing or belongs to another tenant', async () => {
    const { lifecycle, events } = setup(null);
    expect((await errorOf(lifecycle.completeAction('x', complete))).code).toBe(
      ErrorCode.OPPORTUNITY_NOT_FOUND,
    );
    expect(events).toEqual([]);
  });

  it('answers VERSION_CONFLICT and writes nothing when expected_version is stale', async () => {
    const { lifecycle, events, updated } = setup();
    const error = await errorOf(lifecycle.completeAction('x', { ...complete, expected_version: 2 }));
    expect(error.code).toBe(ErrorCode.VERSION_CONFLICT);
    expect(error.detail).toContain('current version is 3');
    expect(events).toEqual([]);
    expect(updated).toEqual([]);
  });

  it('refuses a closed opportunity', async () => {
    const { lifecycle } = setup(closed);
    expect((await errorOf(lifecycle.completeAction('x', complete))).code).toBe(ErrorCode.OPPORTUNITY_CLOSED);
  });

  it('scopes the lookup to the tenant of the request', async () => {
    const { lifecycle, repository } = setup(opportunity(), 'admin');
    await lifecycle.completeAction('some-id', complete);
    expect(repository.findForUpdate).toHaveBeenCalledWith({ tenantId: 'acme' }, 'some-id');
  });
});

describe('rescheduling', () => {
  it('moves the date, counts the push and records both dates with the reason', async () => {
    const { lifecycle, events, updated } = setup(opportunity({ rescheduleCount: 1 }));
    const result = await lifecycle.reschedule('x', {
      new_next_action_at: '2026-12-01T09:00:00Z',
      reason: 'Travelling',
    });
    expect(updated[0]).toMatchObject({
      nextActionAt: new Date('2026-12-01T09:00:00Z'),
      nextActionDetails: 'Call',
      rescheduleCount: 2,
    });
    expect(events[0]).toMatchObject({
      type: 'rescheduled',
      previousNextActionAt: new Date('2026-11-25T10:00:00Z'),
      nextActionAt: new Date('2026-12-01T09:00:00Z'),
      reason: 'Travelling',
    });
    expect(result.reschedule_count).toBe(2);
  });
});

describe('editing', () => {
  it('records a stage change in the timeline', async () => {
    const { lifecycle, events, updated } = setup();
    await lifecycle.update('x', { stage: 'Negotiation', value: 12 });
    expect(updated[0]).toMatchObject({ stage: 'Negotiation', value: 12, version: 4 });
    expect(events).toEqual([
      expect.objectContaining({ type: 'stage_changed', fromStage: 'Proposal', toStage: 'Negotiation' }),
    ]);
  });

  it('changes nothing, not even the version, when every value is already so', async () => {
    const { lifecycle, events, updated } = setup();
    const result = await lifecycle.update('x', { name: 'Deal', stage: 'Proposal' });
    expect(result.version).toBe(3);
    expect(events).toEqual([]);
    expect(updated).toEqual([]);
  });

  it('asks for at least one field', async () => {
    const { lifecycle } = setup();
    expect((await errorOf(lifecycle.update('x', { expected_version: 3 }))).code).toBe(
      ErrorCode.VALIDATION_ERROR,
    );
  });
});

describe('closing and reopening', () => {
  it('closes a deal: no next action, a closed stage and date, a closed event keeping the dropped action', async () => {
    const { lifecycle, events, updated } = setup(opportunity({ rescheduleCount: 3 }));
    const result = await lifecycle.close('x', { outcome: 'lost', reason: 'Budget cut' });
    expect(updated[0]).toMatchObject({
      stage: 'Closed Lost',
      nextActionAt: null,
      nextActionDetails: null,
      closedAt: NOW,
      rescheduleCount: 0,
    });
    expect(events[0]).toMatchObject({
      type: 'closed',
      fromStage: 'Proposal',
      toStage: 'Closed Lost',
      reason: 'Budget cut',
      details: 'Call',
    });
    expect(result).toMatchObject({ status: 'lost', is_overdue: false, next_action_at: null });
  });

  it('refuses to close a closed deal', async () => {
    const { lifecycle } = setup(closed);
    expect((await errorOf(lifecycle.close('x', { outcome: 'won' }))).code).toBe(ErrorCode.OPPORTUNITY_CLOSED);
  });

  it('reopens only with a future next action, and only a closed deal', async () => {
    const reopen = {
      stage: 'Qualification' as const,
      next_action_at: '2026-11-30T09:00:00Z',
      next_action_details: 'Call the new buyer',
    };
    const { lifecycle, events, updated } = setup(closed);
    const result = await lifecycle.reopen('x', reopen);
    expect(updated[0]).toMatchObject({
      stage: 'Qualification',
      closedAt: null,
      nextActionDetails: 'Call the new buyer',
    });
    expect(events[0]).toMatchObject({ type: 'reopened', fromStage: 'Closed Won', toStage: 'Qualification' });
    expect(result.status).toBe('open');
    expect(
      (
        await errorOf(
          setup(closed).lifecycle.reopen('x', { ...reopen, next_action_at: '2026-11-01T00:00:00Z' }),
        )
      ).code,
    ).toBe(ErrorCode.VALIDATION_ERROR);
    expect((await errorOf(setup().lifecycle.reopen('x', reopen))).code).toBe(
      ErrorCode.OPPORTUNITY_NOT_CLOSED,
    );
  });
});

describe('the due list', () => {
  it("uses the tenant's zone for end of today unless until is given", async () => {
    const { service, repository } = setup();
    await service.listDue({ limit: 10, scope: 'mine' });
    expect(repository.findDue).toHaveBeenCalledWith(
      { tenantId: 'acme', ownerId: USER },
      { now: NOW, timezone: 'Europe/Berlin', from: undefined, until: undefined },
      undefined,
      10,
    );
  });

  it('refuses a window whose from is not before until', async () => {
    const { service } = setup();
    const error = await errorOf(
      service.listDue({
        limit: 10,
        scope: 'mine',
        from: '2026-11-27T00:00:00Z',
        until: '2026-11-27T00:00:00Z',
      }),
    );
    expect(error.errors).toEqual([{ field: 'until', message: 'until must be after from' }]);
  });
});

describe('roles', () => {
  it('lets a rep read only their own deals, and refuses them the team view', async () => {
    const { service, repository } = setup(opportunity(), 'rep');
    const error = await errorOf(service.listDue({ limit: 10, scope: 'team' }));
    expect(error.code).toBe(ErrorCode.FORBIDDEN);
    expect(repository.findDue).not.toHaveBeenCalled();
  });

  it('gives managers the whole tenant with scope=team', async () => {
    const { service, repository } = setup(opportunity(), 'manager');
    await service.listDue({ limit: 10, scope: 'team' });
    expect(repository.findDue).toHaveBeenCalledWith({ tenantId: 'acme' }, expect.anything(), undefined, 10);
  });

  it("looks a rep's change up among their own deals only", async () => {
    const { lifecycle, repository } = setup(opportunity(), 'rep');
    await lifecycle.completeAction(opportunity().id, complete);
    expect(repository.findForUpdate).toHaveBeenCalledWith(
      { tenantId: 'acme', ownerId: USER },
      opportunity().id,
    );
  });

  it('refuses a rep who reassigns a deal, and changes nothing', async () => {
    const { lifecycle, updated } = setup(opportunity(), 'rep');
    const error = await errorOf(
      lifecycle.update(opportunity().id, { owner_id: '00000000-0000-4000-8000-000000000001' }),
    );
    expect(error.code).toBe(ErrorCode.FORBIDDEN);
    expect(updated).toEqual([]);
  });

  it('lets a manager reassign a deal to another member', async () => {
    const other = '00000000-0000-4000-8000-000000000001';
    const { lifecycle, updated } = setup(opportunity(), 'manager');
    const result = await lifecycle.update(opportunity().id, { owner_id: other });
    expect(result.owner_id).toBe(other);
    expect(updated[0]).toEqual(expect.objectContaining({ ownerId: other, version: 4 }));
  });
});
