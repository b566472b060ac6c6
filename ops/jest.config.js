/** Backup and restore, through `make backup` / `make restore`, against real PostgreSQL and PGlite folders. */
module.exports = {
  displayName: 'ops:e2e',
  rootDir: '.',
  testEnvironment: 'node',
  testRegex: 'test/.*\\.e2e-spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testTimeout: 120000,
};
