/**
 * The role the API's queries run as (SET LOCAL ROLE in every transaction): it owns no table and is not a
 * superuser, so row-level security applies to it. Migrations create it and run as the owner.
 */
export const APP_ROLE = 'nat_app';
