import { Injectable } from '@nestjs/common';
import { Gauge, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';

/** The counters node-postgres keeps on its pool. */
interface PoolCounts {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options?: { max?: number };
}

/** The database pool's use, read when Prometheus scrapes: waiting clients mean the pool is too small. */
@Injectable()
export class PoolMetrics {
  constructor(registry: Registry, dataSource: DataSource) {
    const pool = (): PoolCounts | undefined =>
      (dataSource.driver as PostgresDriver).master as PoolCounts | undefined;
    const gauge = (name: string, help: string, read: (pool: PoolCounts) => number | undefined) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect(this: Gauge) {
          const current = pool();
          const value = current && read(current);
          if (value !== undefined) this.set(value);
        },
      });
    gauge('nat_db_pool_connections_total', 'Connections the pool holds, idle or in use', (p) => p.totalCount);
    gauge('nat_db_pool_connections_idle', 'Connections the pool holds that are idle', (p) => p.idleCount);
    gauge('nat_db_pool_requests_waiting', 'Queries waiting for a free connection', (p) => p.waitingCount);
    gauge('nat_db_pool_connections_max', 'The most connections the pool may open', (p) => p.options?.max);
  }
}
