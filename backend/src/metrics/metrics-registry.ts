import type { Provider } from '@nestjs/common';
import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * One registry per application, not prom-client's global one: a process may hold several Nest apps (the e2e
 * tests do), and registering a metric name twice in one registry throws.
 */
export const METRICS_REGISTRY: Provider = {
  provide: Registry,
  useFactory: (): Registry => {
    const registry = new Registry();
    // Process CPU, memory, handles, GC and event-loop lag (nodejs_eventloop_lag_seconds), standard names.
    collectDefaultMetrics({ register: registry });
    return registry;
  },
};
