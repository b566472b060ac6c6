import type { Client } from 'pg';
import { cpuSeconds, type ServerProcess } from './server-process';

export interface CpuCost {
  /** CPU (user + system) of the server under test per answered request: NAT's process or the baseline's. */
  cpuMsPerRequest?: number;
  /** CPU of the bench database's PostgreSQL backends per answered request: what the requests cost the server. */
  dbCpuMsPerRequest?: number;
}

/**
 * CPU time per request, from /proc (Linux). Other work on a shared machine moves throughput and latency a lot
 * and these figures little, so they say where a difference between NAT and the baseline comes from.
 */
export class CpuMeter {
  /** `db` is the bench's own session, left out of the count. */
  constructor(private readonly db: Client) {}

  async measure<T>(
    server: ServerProcess,
    work: () => Promise<T>,
    answered: (result: T) => number,
  ): Promise<{ result: T } & CpuCost> {
    const serverBefore = await cpuSeconds(server.pid);
    const backendsBefore = await this.backendSeconds();
    const result = await work();
    const serverAfter = await cpuSeconds(server.pid);
    const backendsAfter = await this.backendSeconds();
    const count = answered(result);
    if (count === 0) return { result };
    let backends = 0;
    // A backend started during the run counts from zero; one that ended during it is lost (pools keep theirs).
    for (const [pid, seconds] of backendsAfter) backends += seconds - (backendsBefore.get(pid) ?? 0);
    return {
      result,
      cpuMsPerRequest:
        serverBefore === undefined || serverAfter === undefined
          ? undefined
          : ((serverAfter - serverBefore) * 1000) / count,
      dbCpuMsPerRequest: (backends * 1000) / count,
    };
  }

  private async backendSeconds(): Promise<Map<number, number>> {
    const { rows } = await this.db.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
    );
    const seconds = new Map<number, number>();
    for (const { pid } of rows) {
      const used = await cpuSeconds(pid);
      if (used !== undefined) seconds.set(pid, used);
    }
    return seconds;
  }
}
