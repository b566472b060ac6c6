import { plainToInstance, Type } from 'class-transformer';
import { StartupError } from '../common/startup-error';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

/** Every environment variable NAT reads, validated once at start. The README's configuration table lists them. */
export class Environment {
  @IsOptional()
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 8000;

  @IsString()
  HOST = '0.0.0.0';

  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'DATABASE_URL must be a postgres:// URL' })
  DATABASE_URL?: string;

  @IsString()
  EMBEDDED_DB_DIR = './data';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** The dashboard's production build; by default dist/frontend/browser next to the compiled backend. */
  @IsOptional()
  @IsString()
  DASHBOARD_DIR?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}

export function loadEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const environment = plainToInstance(Environment, source, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new StartupError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return environment;
}
