import type { Request } from 'express';

/** The client's address as Express resolves it (honouring `trust proxy`), for per-IP limits and the log. */
export function clientIp(request: Request): string {
  return request.ip ?? request.socket.remoteAddress ?? 'unknown';
}
