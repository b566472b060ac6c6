import type { ClsService } from 'nestjs-cls';
import { Registry } from 'prom-client';
import { BusinessMetrics } from './business-metrics';

function setup(request?: object) {
  const registry = new Registry();
  const cls = { isActive: () => request !== undefined, get: () => request } as unknown as ClsService;
  return { metrics: new BusinessMetrics(registry, cls), registry };
}

async function valueOf(registry: Registry, name: string): Promise<number> {
  const metric = (await registry.getMetricsAsJSON()).find((entry) => entry.name === name);
  return metric?.values[0]?.value ?? 0;
}

describe('BusinessMetrics', () => {
  it('counts at once outside a request', async () => {
    const { metrics, registry } = setup();
    metrics.actionCompleted();
    metrics.opportunityCreated();
    metrics.opportunityCreated();
    expect(await valueOf(registry, 'nat_actions_completed_total')).toBe(1);
    expect(await valueOf(registry, 'nat_opportunities_created_total')).toBe(2);
  });

  it("counts a request's changes only once its response shows they committed", async () => {
    const request = {};
    const { metrics, registry } = setup(request);
    metrics.actionCompleted();
    metrics.actionCompleted();
    expect(await valueOf(registry, 'nat_actions_completed_total')).toBe(0);
    metrics.settle(request, true);
    expect(await valueOf(registry, 'nat_actions_completed_total')).toBe(2);
    metrics.settle(request, true);
    expect(await valueOf(registry, 'nat_actions_completed_total')).toBe(2);
  });

  it("forgets a request's changes when it failed and rolled back", async () => {
    const request = {};
    const { metrics, registry } = setup(request);
    metrics.opportunityCreated();
    metrics.settle(request, false);
    metrics.settle(request, true);
    expect(await valueOf(registry, 'nat_opportunities_created_total')).toBe(0);
  });
});
