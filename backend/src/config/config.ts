import { readFileSync } from 'node:fs';
import { plainToInstance, Transform, Type } from 'class-transformer';
import { StartupError } from '../common/startup-error';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

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

  /**
   * The most a request may wait for the database (a free connection, then its transaction's answers): past it,
   * 503 DATABASE_UNAVAILABLE and the connection is dropped, so a database gone silent cannot hold requests.
   */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  REQUEST_TIMEOUT_MS = 5_000;

  /** On SIGTERM, how long requests in flight may take to finish before their connections are closed. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Signs the access tokens (HS256). Required in production; elsewhere generated once under EMBEDDED_DB_DIR. */
  @IsOptional()
  @IsString()
  @MinLength(32, { message: 'JWT_SECRET must be at least 32 characters' })
  JWT_SECRET?: string;

  /** Sign-in attempts per client IP per 15 minutes. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN_PER_IP = 30;

  /** Failed sign-ins per account per 15 minutes before the account is locked for the rest of the window. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_LOGIN_PER_ACCOUNT = 10;

  /** Sign-ups (new tenants) per client IP per hour. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_SIGNUP_PER_IP = 5;

  /** `false` closes POST /signup, for private installs (admins then use make create-admin). */
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim() !== 'false' : value,
  )
  @IsBoolean()
  SIGNUP_ENABLED = true;

  /**
   * Which proxies' X-Forwarded-For / -Proto to believe, as Express's `trust proxy` takes them: addresses or
   * CIDRs, comma-separated, or `loopback`, `linklocal`, `uniquelocal`. Empty: none, the socket's address is the
   * client (right when NAT faces clients directly; behind nginx, name nginx here so per-IP limits see clients).
   */
  @IsOptional()
  @IsString()
  TRUST_PROXY?: string;

  /** Origins allowed to call the API from a browser, comma-separated; empty: same origin only. */
  @IsOptional()
  @IsString()
  CORS_ORIGINS?: string;
}

/** What the sign-in side of the app needs, resolved from the environment at start. */
export interface AuthSettings {
  jwtSecret: string;
  loginPerIp: number;
  loginPerAccount: number;
  signupPerIp: number;
  signupEnabled: boolean;
}

export function authSettings(environment: Environment, jwtSecret: string): AuthSettings {
  return {
    jwtSecret,
    loginPerIp: environment.RATE_LIMIT_LOGIN_PER_IP,
    loginPerAccount: environment.RATE_LIMIT_LOGIN_PER_ACCOUNT,
    signupPerIp: environment.RATE_LIMIT_SIGNUP_PER_IP,
    signupEnabled: environment.SIGNUP_ENABLED,
  };
}

/** Settings that may come from a file instead (`NAME_FILE`), as Docker and Kubernetes secrets are mounted. */
const FROM_FILES = ['JWT_SECRET', 'DATABASE_URL', 'DATABASE_PASSWORD'] as const;

function readSecret(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new StartupError(`${name}_FILE: cannot read ${path} (${reason})`);
  }
}

/**
 * The environment with secrets read from their files, and DATABASE_PASSWORD (or its file) put into
 * DATABASE_URL, so a compose file can keep the password out of the URL it shows.
 */
export function resolveSecrets(source: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const resolved: NodeJS.ProcessEnv = { ...source };
  for (const name of FROM_FILES) {
    const path = source[`${name}_FILE`];
    if (!path) continue;
    if (source[name] !== undefined) throw new StartupError(`Set ${name} or ${name}_FILE, not both`);
    resolved[name] = readSecret(name, path);
  }
  const password = resolved.DATABASE_PASSWORD;
  delete resolved.DATABASE_PASSWORD;
  if (password !== undefined) {
    if (!resolved.DATABASE_URL)
      throw new StartupError('DATABASE_PASSWORD needs DATABASE_URL (without a password)');
    const url = new URL(resolved.DATABASE_URL);
    // The URL setter percent-encodes what a password may contain (@, :, /).
    url.password = password;
    resolved.DATABASE_URL = url.toString();
  }
  return resolved;
}

export function loadEnvironment(source: NodeJS.ProcessEnv = process.env): Environment {
  const environment = plainToInstance(Environment, resolveSecrets(source), { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: false });
  if (errors.length > 0) {
    const lines = errors.flatMap((error) => Object.values(error.constraints ?? {}));
    throw new StartupError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  return environment;
}

/** `https://a.example, https://b.example` (or any comma-separated setting) → the list; blank → none. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/** TRUST_PROXY as Express takes it: a list of addresses and names, or false for none. */
export function trustProxyOf(value: string | undefined): string[] | false {
  const entries = commaList(value);
  return entries.length > 0 ? entries : false;
}
