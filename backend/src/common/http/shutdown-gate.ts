import type { Server } from 'node:http';
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

  /** Stops accepting, waits for the requests in flight (at most `timeoutMs`), then closes every connection. */
  async drain(server: Server, timeoutMs: number): Promise<{ unfinished: number }> {
    this.draining = true;
    // Node ≥ 19 also closes the idle kept-alive connections here.
    server.close();
    for (const response of this.inFlight) {
      if (!response.headersSent) response.setHeader('Connection', 'close');
    }
    if (this.inFlight.size > 0) {
      await new Promise<void>((resolve) => {
        this.whenIdle = resolve;
        setTimeout(resolve, timeoutMs).unref();
      });
    }
    const unfinished = this.inFlight.size;
    server.closeAllConnections();
    return { unfinished };
  }
}
