/** Unit tests: specs next to the code, no database. */
module.exports = {
  displayName: 'backend:unit',
  rootDir: 'src',
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
  testRegex: '\\.spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/../tsconfig.json' }] },
  collectCoverage: true,
  collectCoverageFrom: ['**/*.ts', '!**/*.spec.ts', '!main.ts', '!bin/**', '!database/migrations/**'],
  coverageDirectory: '../../coverage/backend/unit',
  coverageReporters: ['text-summary', 'lcov'],
};
