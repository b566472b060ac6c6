import { provideHttpClient } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { BulkCompleteDto, BulkResultDto, OpportunityDto } from '../api/models';
import { PipelineChanges } from '../core/pipeline-changes';
import { BULK_MAX_ITEMS, BulkActions } from './bulk-actions';

const COMPLETE_URL = '/api/v1/opportunities/bulk/complete';
const RESCHEDULE_URL = '/api/v1/opportunities/bulk/reschedule';

function opportunity(id: string, version = 1): OpportunityDto {
  return {
    id,
    name: `Deal ${id}`,
    value: 1000,
    stage: 'Proposal',
    next_action_at: '2026-11-25T09:00:00.000Z',
    next_action_details: 'Call',
    is_overdue: true,
    status: 'open',
    reschedule_count: 0,
    closed_at: null,
    version,
    created_at: '2026-11-01T00:00:00.000Z',
    owner_id: null,
    updated_at: '2026-11-01T00:00:00.000Z',
  };
}

const shared = { new_next_action_at: '2026-12-01T09:00:00.000Z', new_next_action_details: 'Send the quote' };

describe('BulkActions', () => {
  let bulk: BulkActions;
  let http: HttpTestingController;
  let changes: PipelineChanges;

  beforeEach(() => {
    TestBed.configureTestingModule({ providers: [provideHttpClient(), provideHttpClientTesting()] });
    bulk = TestBed.inject(BulkActions);
    http = TestBed.inject(HttpTestingController);
    changes = TestBed.inject(PipelineChanges);
  });

  afterEach(() => http.verify());

  it('sends each item with the version the rep saw, and the shared next action once', async () => {
    const done = bulk.complete([opportunity('a', 3), opportunity('b', 7)], {
      ...shared,
      notes: 'Called all',
    });
    const request = http.expectOne(COMPLETE_URL);

    expect(request.request.method).toBe('POST');
    expect(request.request.body).toEqual({
      items: [
        { id: 'a', expected_version: 3 },
        { id: 'b', expected_version: 7 },
      ],
      shared: { ...shared, notes: 'Called all' },
    });
    request.flush({
      succeeded: 2,
      failed: 0,
      results: [
        { id: 'a', status: 200, opportunity: opportunity('a', 4) },
        { id: 'b', status: 200, opportunity: opportunity('b', 8) },
      ],
    } satisfies BulkResultDto);
    const outcome = await done;

    expect(outcome.kind).toBe('complete');
    expect(outcome.succeeded.map((item) => item.version)).toEqual([4, 8]);
    expect(outcome.failed).toEqual([]);
    expect(changes.version()).toBe(1);
  });

  it('reads a 207 item by item, naming each failure with a sentence from its error envelope', async () => {
    const done = bulk.reschedule([opportunity('a'), opportunity('b'), opportunity('c')], {
      new_next_action_at: '2026-12-03T09:00:00.000Z',
      reason: 'Quarter-end freeze',
    });
    const request = http.expectOne(RESCHEDULE_URL);
    expect(request.request.body.shared).toEqual({
      new_next_action_at: '2026-12-03T09:00:00.000Z',
      reason: 'Quarter-end freeze',
    });
    request.flush(
      {
        succeeded: 1,
        failed: 2,
        results: [
          { id: 'a', status: 200, opportunity: opportunity('a', 2) },
          {
            id: 'b',
            status: 409,
            error: { detail: 'expected version 1, current 2', error_code: 'VERSION_CONFLICT' },
          },
          {
            id: 'c',
            status: 409,
            error: { detail: 'Opportunity c is closed.', error_code: 'OPPORTUNITY_CLOSED' },
          },
        ],
      } satisfies BulkResultDto,
      { status: 207, statusText: 'Multi-Status' },
    );
    const outcome = await done;

    expect(outcome.succeeded.map((item) => item.id)).toEqual(['a']);
    expect(outcome.failed).toEqual([
      {
        id: 'b',
        name: 'Deal b',
        message: 'This deal was changed elsewhere in the meantime.',
        code: 'VERSION_CONFLICT',
      },
      {
        id: 'c',
        name: 'Deal c',
        message: 'This deal is closed. Reopen it with a new next action first.',
        code: 'OPPORTUNITY_CLOSED',
      },
    ]);
    expect(changes.version()).toBe(1);
  });

  it('changes nothing and reports nothing when every item failed', async () => {
    const done = bulk.complete([opportunity('a')], shared);
    http.expectOne(COMPLETE_URL).flush(
      {
        succeeded: 0,
        failed: 1,
        results: [{ id: 'a', status: 404, error: { detail: 'gone', error_code: 'OPPORTUNITY_NOT_FOUND' } }],
      } satisfies BulkResultDto,
      { status: 207, statusText: 'Multi-Status' },
    );
    const outcome = await done;

    expect(outcome.failed[0].message).toMatch(/no longer exists/);
    expect(changes.version()).toBe(0);
  });

  it('throws when the request as a whole is refused, so the dialog can show why', async () => {
    const done = bulk.complete([opportunity('a')], shared);
    http.expectOne(COMPLETE_URL).flush(
      {
        detail: 'invalid',
        error_code: 'VALIDATION_ERROR',
        errors: [{ field: 'shared.new_next_action_at', message: 'new_next_action_at must be in the future' }],
      },
      { status: 400, statusText: 'Bad Request' },
    );

    await expect(done).rejects.toMatchObject({ status: 400 });
    expect(changes.version()).toBe(0);
  });

  it(`splits a selection larger than ${BULK_MAX_ITEMS} into several requests`, async () => {
    const many = Array.from({ length: BULK_MAX_ITEMS + 2 }, (_, index) => opportunity(`id-${index}`));
    const done = bulk.complete(many, shared);

    const first = http.expectOne(COMPLETE_URL);
    expect(first.request.body.items).toHaveLength(BULK_MAX_ITEMS);
    first.flush({
      succeeded: BULK_MAX_ITEMS,
      failed: 0,
      results: many.slice(0, BULK_MAX_ITEMS).map((item) => ({ id: item.id, status: 200, opportunity: item })),
    } satisfies BulkResultDto);
    const second = await vi.waitFor(() => http.expectOne(COMPLETE_URL));
    const body = second.request.body as BulkCompleteDto;
    expect(body.items.map((item) => item.id)).toEqual([`id-${BULK_MAX_ITEMS}`, `id-${BULK_MAX_ITEMS + 1}`]);
    second.flush(null, { status: 0, statusText: 'Unknown Error' });
    const outcome = await done;

    expect(outcome.succeeded).toHaveLength(BULK_MAX_ITEMS);
    expect(outcome.failed.map((failure) => failure.id)).toEqual([
      `id-${BULK_MAX_ITEMS}`,
      `id-${BULK_MAX_ITEMS + 1}`,
    ]);
    expect(outcome.failed[0].message).toMatch(/Cannot reach NAT/);
  });
});
