import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NextFunction, Request, Response } from 'express';
import { ApiError } from '../errors/api-error';
import { ErrorCode } from '../errors/error-code';

/**
 * A graceful stop: when the process is asked to end, requests already running finish and are answered, and
 * nothing new starts. The listener closes at once (new connections are refused, so a load balancer moves on);
 * a request that still arrives on a kept-alive connection gets 503 with `Connection: close`; every answer given
 * while draining closes its connection.
 */
export class ShutdownGate {
  private draining = false;
  private readonly inFlight = new Set<Response>();
  private whenIdle?: () => void;

  get isDraining(): boolean {
    return this.draining;
  }

  /** Express middleware, mounted before everything else. */
  readonly admit = (_request: Request, response: Response, next: NextFunction): void => {
    if (this.draining) {
      const error = new ApiError(
        ErrorCode.SERVICE_UNAVAILABLE,
        'NAT is shutting down: send the request again.',
      );
      response.setHeader('Connection', 'close');
      response.status(error.status).json(error.toBody());
      return;
    }
    this.inFlight.add(response);
    const settle = () => {
      if (!this.inFlight.delete(response)) return;
      if (this.draining && this.inFlight.size === 0) this.whenIdle?.();
    };
    response.once('finish', settle);
    response.once('close', settle);
    next();
  };

  /**
   * Stops accepting, waits for the requests in flight (at most `timeoutMs`) and at least `graceMs`, then closes
   * every connection. During the grace a request that arrives on a kept-alive connection (one a client sent just
   * before the stop) is answered 503 with `Connection: close` rather than reset.
   */
  async drain(server: Server, timeoutMs: number, graceMs = 1_000): Promise<{ unfinished: number }> {
    this.draining = true;
    // Only stop listening: http.Server#close() would also drop the idle kept-alive connections at once, and with
    // them a request a client had just written on one.
    NetServer.prototype.close.call(server);
    for (const response of this.inFlight) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    const grace = sleep(Math.min(graceMs, timeoutMs));
    if (this.inFlight.size > 0) {
      await new Promise<void>((resolve) => {
        this.whenIdle = resolve;
        setTimeout(resolve, timeoutMs).unref();
      });
    }
    await grace;
    const unfinished = this.inFlight.size;
    server.closeAllConnections();
    return { unfinished };
  }
}
