import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: the process is up and the database answers',
    operationId: 'health_check',
  })
  @ApiOkResponse({ description: 'Ready' })
  @ApiServiceUnavailableResponse({
    description: 'DATABASE_UNAVAILABLE: the database does not answer; SERVICE_UNAVAILABLE: shutting down',
  })
  check(): Promise<HealthCheckResult> {
    return this.databaseAnswers();
  }

  /** The same check as GET /health, under the name orchestrators expect next to /health/live. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: the process is up and the database answers',
    operationId: 'health_ready',
  })
  @ApiOkResponse({ description: 'Ready' })
  @ApiServiceUnavailableResponse({
    description: 'DATABASE_UNAVAILABLE: the database does not answer; SERVICE_UNAVAILABLE: shutting down',
  })
  ready(): Promise<HealthCheckResult> {
    return this.databaseAnswers();
  }

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers', operationId: 'health_live' })
  @ApiOkResponse({ description: 'Alive' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  private databaseAnswers(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('database', { timeout: 3000 })]);
  }
}
