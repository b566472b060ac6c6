// PGlite's contrib extensions are published through package "exports", which the backend's CommonJS module
// resolution does not read; Node resolves them at run time (the "require" condition), this declares their type.
declare module '@electric-sql/pglite/contrib/pg_trgm' {
  import type { Extension } from '@electric-sql/pglite';
  export const pg_trgm: Extension;
}
