/** End-to-end tests: the real Nest app over HTTP against real PostgreSQL (a fresh database per run). */
module.exports = {
  displayName: 'backend:e2e',
  rootDir: '..',
  testEnvironment: 'node',
  testRegex: 'test/.*\\.e2e-spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  collectCoverage: true,
  collectCoverageFrom: ['src/**/*.ts', '!src/**/*.spec.ts', '!src/main.ts', '!src/bin/**'],
  coverageDirectory: '../coverage/backend/e2e',
  coverageReporters: ['text-summary', 'lcov'],
};
