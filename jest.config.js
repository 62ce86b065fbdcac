/** One jest run for unit and end-to-end suites; `jest test/e2e` selects the end-to-end ones. */
module.exports = {
  preset: 'ts-jest/presets/js-with-ts',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/**/test/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/.cockpit/'],
  // jose is ESM-only and is transformed with our sources. On Node < 24.9 jest loads it through its CJS path
  // (ts-jest emits CommonJS); on Node >= 24.9 jest require()s it as native ESM and asks the transform for ESM:
  // useESM lets ts-jest emit what jest asks for (CommonJS for our .ts files, which jest always loads as CJS).
  transform: {
    '^.+\\.[tj]sx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false, useESM: true }],
  },
  transformIgnorePatterns: ['/node_modules/(?!jose/)'],
  // a whole stack (six services, an OpenID provider process) starts in 5–15 s alone, several times that on a loaded 2-core machine
  testTimeout: 180000,
  maxWorkers: 2,
};
