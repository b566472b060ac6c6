import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Histogram, Registry } from 'prom-client';
import { BusinessMetrics } from './business-metrics';
import { routeLabel } from './route-label';

/** A fast API: most answers take milliseconds; anything past 2.5 s lands in +Inf. */
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

type HttpLabel = 'method' | 'route' | 'status_code';

/** The request histogram, one per registry (Nest builds middleware instances apart from providers). */
@Injectable()
export class HttpMetrics {
  readonly duration: Histogram<HttpLabel>;

  constructor(registry: Registry) {
    this.duration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration in seconds, by method, route template and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: DURATION_BUCKETS,
      registers: [registry],
    });
  }
}

/**
 * Times every request from the moment it reaches Nest's middleware until its response is sent, errors
 * included: a 401 from the guard or a 404 for an unknown path counts with its status.
 */
@Injectable()
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(
    private readonly http: HttpMetrics,
    private readonly business: BusinessMetrics,
  ) {}

  use(request: Request, response: Response, next: NextFunction): void {
    const stop = this.http.duration.startTimer();
    response.once('finish', () => {
      stop({ method: request.method, route: routeLabel(request), status_code: response.statusCode });
      this.business.settle(request, response.statusCode < 400);
    });
    // A client that hangs up early still ends the request: forget its pending counts.
    response.once('close', () => {
      if (!response.writableFinished) this.business.settle(request, false);
    });
    next();
  }
}
