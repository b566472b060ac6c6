/** A member's role in one tenant; the memberships_role_known CHECK holds the same list. */
export const ROLES = ['rep', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who may see and change the whole team's pipeline. */
export const TEAM_ROLES: readonly Role[] = ['manager', 'admin'];
