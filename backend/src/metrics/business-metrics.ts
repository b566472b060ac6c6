import { Injectable } from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { CLS_REQ, ClsService } from 'nestjs-cls';

/**
 * What the business does, counted: no tenant or user label, so the series stay few and say nothing about
 * who did it. Inside a request a count waits for the response: the request's transaction commits only after
 * the handler returns, so a change counts once its response shows it committed (a status below 400).
 */
@Injectable()
export class BusinessMetrics {
  private readonly actionsCompleted: Counter;
  private readonly opportunitiesCreated: Counter;
  private readonly pending = new WeakMap<object, Counter[]>();

  constructor(
    registry: Registry,
    private readonly cls: ClsService,
  ) {
    this.actionsCompleted = new Counter({
      name: 'nat_actions_completed_total',
      help: 'Next actions completed (single and bulk), counted once committed',
      registers: [registry],
    });
    this.opportunitiesCreated = new Counter({
      name: 'nat_opportunities_created_total',
      help: 'Opportunities created, counted once committed',
      registers: [registry],
    });
  }

  actionCompleted(): void {
    this.count(this.actionsCompleted);
  }

  opportunityCreated(): void {
    this.count(this.opportunitiesCreated);
  }

  /** The response to `request` has been sent: its counts happened if it committed, else they never did. */
  settle(request: object, committed: boolean): void {
    const counters = this.pending.get(request);
    this.pending.delete(request);
    if (committed) counters?.forEach((counter) => counter.inc());
  }

  private count(counter: Counter): void {
    const request = this.cls.isActive() ? this.cls.get<object | undefined>(CLS_REQ) : undefined;
    if (!request) {
      counter.inc();
      return;
    }
    const counters = this.pending.get(request) ?? [];
    counters.push(counter);
    this.pending.set(request, counters);
  }
}
