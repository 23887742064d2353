// Every test runs with a server clock west of UTC, far from the office's Asia/Shanghai: a date that a server's
// time zone could shift shows up as a failure. (Set before any worker starts; workers inherit it.)
process.env.TZ = 'America/Los_Angeles';
const os = require('os');

/** Unit tests boot nothing; integration tests boot the real app once per file on a throwaway PostgreSQL database. */
const transform = { '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tests/tsconfig.json' }] };

module.exports = {
  testTimeout: 120000,
  // Two files at a time even on two cores (jest's default there is one): a file spends much of its time waiting on
  // PostgreSQL, Chromium or a process it started, and every file stands alone (its own database, ports and folders).
  maxWorkers: Math.max(2, os.availableParallelism() - 1),
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/unit'],
      testMatch: ['**/*.test.ts'],
      transform,
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      roots: ['<rootDir>/tests/integration'],
      testMatch: ['**/*.test.ts'],
      transform,
      globalSetup: '<rootDir>/tests/support/global-setup.js',
      globalTeardown: '<rootDir>/tests/support/global-teardown.js',
      // Any 5xx the app answers a test fails that test (tests/support/server-errors.ts).
      setupFilesAfterEnv: ['<rootDir>/tests/support/no-server-errors.ts'],
    },
  ],
};
