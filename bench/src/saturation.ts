import autocannon from 'autocannon';
import type { PacedRequest } from './open-loop';

/** What one closed-loop run measured: as many requests as `connections` keep in flight, back to back. */
export interface SaturationResult {
  throughput: number;
  p50: number;
  p99: number;
  /** Non-2xx answers plus socket errors and timeouts. */
  errors: number;
  byStatus: Record<string, number>;
  sent: number;
  answered: number;
}

type Method = NonNullable<autocannon.Request['method']>;

/**
 * autocannon with a request built per send: complete_action takes a different opportunity each time, and the
 * other endpoints repeat one request. autocannon counts latency from write to last byte on a busy socket.
 */
export async function runSaturation(
  origin: string,
  connections: number,
  durationSeconds: number,
  request: (index: number) => PacedRequest,
): Promise<SaturationResult> {
  let index = 0;
  const build = (): autocannon.Request => {
    const spec = request(index++);
    const headers: Record<string, string> = { ...spec.headers };
    if (spec.body !== undefined) headers['content-type'] ??= 'application/json';
    return { method: spec.method as Method, path: spec.path, headers, body: spec.body };
  };
  const result = await autocannon({
    url: origin,
    connections,
    duration: durationSeconds,
    timeout: 10,
    requests: [{ setupRequest: (defaults) => ({ ...defaults, ...build() }) }],
  });
  const byStatus: Record<string, number> = {};
  for (const [status, { count = 0 }] of Object.entries(result.statusCodeStats ?? {}))
    byStatus[status] = count;
  if (result.errors > 0) byStatus.socket_errors = result.errors;
  return {
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.non2xx + result.errors,
    byStatus,
    sent: result.requests.sent,
    answered: result.requests.total,
  };
}
