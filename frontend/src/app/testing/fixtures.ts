import type { MeDto, MembershipDto, SessionDto, TenantDto } from '../api/models';

/** A team as GET /tenants answers it, with the caller's role; tests override what matters to them. */
export function aTenant(overrides: Partial<TenantDto> = {}): TenantDto {
  return {
    id: 'demo',
    name: 'Demo Sales Team',
    timezone: 'UTC',
    currency: 'USD',
    role: 'rep',
    ...overrides,
  };
}

export function aUser(overrides: Partial<MeDto> = {}): MeDto {
  return {
    id: '00000000-0000-4000-8000-000000000001',
    email: 'dana@example.com',
    name: 'Dana Rep',
    timezone: 'UTC',
    memberships: [{ tenant_id: 'demo', tenant_name: 'Demo Sales Team', role: 'rep' }],
    ...overrides,
  };
}

export function aSession(overrides: Partial<SessionDto> = {}): SessionDto {
  return { access_token: 'token-1', token_type: 'Bearer', expires_in: 900, user: aUser(), ...overrides };
}

export function aMember(overrides: Partial<MembershipDto> = {}): MembershipDto {
  return {
    user_id: '00000000-0000-4000-8000-000000000001',
    email: 'dana@example.com',
    name: 'Dana Rep',
    role: 'rep',
    status: 'active',
    created_at: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}
