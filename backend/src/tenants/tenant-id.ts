/** A slug such as `demo-tenant-1` or a UUID; the same rule is a CHECK constraint on `tenants.id`. */
export const TENANT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{1,62}$/;
