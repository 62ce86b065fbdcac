/** One jest run for unit and end-to-end suites; `jest test/e2e` selects the end-to-end ones. */
module.exports = {
  preset: 'ts-jest/presets/js-with-ts',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.cockpit/'],
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // a whole stack (six services, an OpenID provider process) starts in 5–15 s alone, several times that on a loaded 2-core machine
  testTimeout: 180000,
  maxWorkers: 2,
};
