import type { Role } from '../api/models';

/** The roles, as an admin picks them, with what each may do. */
export const ROLE_OPTIONS: readonly { value: Role; label: string; description: string }[] = [
  { value: 'rep', label: 'Rep', description: 'Works on their own deals' },
  { value: 'manager', label: 'Manager', description: "Also sees and reassigns the team's deals" },
  { value: 'admin', label: 'Admin', description: 'Also manages members' },
];

export function roleLabel(role: Role): string {
  return ROLE_OPTIONS.find((option) => option.value === role)?.label ?? role;
}
