import { InitialSchema1764129600000 } from './1764129600000-initial-schema';
import { KnownTimeZones1764216000000 } from './1764216000000-known-time-zones';
import { PipelineLifecycle1764302400000 } from './1764302400000-pipeline-lifecycle';
import { SignInAndRowLevelSecurity1764388800000 } from './1764388800000-sign-in-and-row-level-security';
import { IdempotencyKeys1764475200000 } from './1764475200000-idempotency-keys';
import { PipelineBuckets1764561600000 } from './1764561600000-pipeline-buckets';
import { ReadScope1764648000000 } from './1764648000000-read-scope';

/** In order. Listed explicitly so that compiled code, tests and the CLI load exactly the same set. */
export const migrations = [
  InitialSchema1764129600000,
  KnownTimeZones1764216000000,
  PipelineLifecycle1764302400000,
  SignInAndRowLevelSecurity1764388800000,
  IdempotencyKeys1764475200000,
  PipelineBuckets1764561600000,
  ReadScope1764648000000,
];
