/** Load and fault tests: the production build of the API, driven over loopback (make test-load). */
module.exports = {
  displayName: 'bench:load',
  rootDir: '..',
  testEnvironment: 'node',
  testRegex: 'load/.*\\.load-spec\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  testTimeout: 600000,
};
