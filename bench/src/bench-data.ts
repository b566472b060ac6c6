/** The shape of the seeded data set, shared by the seed, the drivers and the report. */

export const BIG_TENANT = 'bench-big';
export const SMALL_TENANT_COUNT = 99;
export const BIG_TENANT_OPPORTUNITIES = 1_000_000;
export const SMALL_TENANT_OPPORTUNITIES = 10_000;
export const BIG_TENANT_REPS = 20;
export const SMALL_TENANT_REPS = 5;
/** Next actions are spread evenly over this many days before and after the moment of seeding. */
export const SPREAD_DAYS = 90;

/** Every bench user signs in with it; one argon2 hash of it is computed and shared by all of them. */
export const BENCH_PASSWORD = 'bench-password-not-secret';

export function smallTenantId(index: number): string {
  return `bench-${String(index).padStart(3, '0')}`;
}

export function managerEmail(tenantId: string): string {
  return `manager@${tenantId}.bench.test`;
}

export interface SeedCounts {
  bigTenant: number;
  perSmallTenant: number;
  total: number;
}

export function seedCounts(scale: number): SeedCounts {
  const bigTenant = Math.max(1, Math.round(BIG_TENANT_OPPORTUNITIES * scale));
  const perSmallTenant = Math.max(1, Math.round(SMALL_TENANT_OPPORTUNITIES * scale));
  return { bigTenant, perSmallTenant, total: bigTenant + perSmallTenant * SMALL_TENANT_COUNT };
}
