import { Global, type MiddlewareConsumer, Module, type NestModule, RequestMethod } from '@nestjs/common';
import { BusinessMetrics } from './business-metrics';
import { HttpMetrics, HttpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { METRICS_REGISTRY } from './metrics-registry';
import { PoolMetrics } from './pool-metrics';

/** GET /metrics in Prometheus' text format: HTTP timings, the database pool, the process, business counts. */
// Global: any feature may count what it does through BusinessMetrics.
@Global()
@Module({
  controllers: [MetricsController],
  providers: [METRICS_REGISTRY, BusinessMetrics, HttpMetrics, PoolMetrics],
  exports: [BusinessMetrics],
})
export class MetricsModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Every path, in the syntax of Nest 11, as the request log does: unknown paths are timed too.
    consumer.apply(HttpMetricsMiddleware).forRoutes({ path: '{*path}', method: RequestMethod.ALL });
  }
}
