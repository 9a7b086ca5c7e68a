// CommonJS on purpose: a TypeScript jest config would need ts-node just to load.
// ts-jest only transpiles (isolatedModules); `npm run typecheck` runs tsc once
// for the whole tree, which is faster than type-checking per test file.
const transform = {
  '^.+\\.tsx?$': ['ts-jest', { diagnostics: false }]
}

const base = {
  transform,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json']
}

/** @type {import('jest').Config} */
module.exports = {
  // Jest's default on a 2-core machine is one worker, i.e. every suite in band. Most suites wait
  // (Chromium, spawned servers, the emulator's 10 ms per call), so two workers halve the run:
  // 827 s -> 415 s for 133 suites on the CI machine's 2 cores, all green.
  maxWorkers: 2,
  // Hooks and tests that seed a real SQLite file and run the functions take 1–3 s on a quiet machine and
  // crossed jest's 5 s default under load (two workers beside Chromium and the builds): a slow machine is
  // not a failure. Suites that need longer still set their own.
  testTimeout: 30_000,
  // A seeded database template per run: see test/helpers/seed-template.ts.
  globalSetup: '<rootDir>/test/helpers/global-setup.js',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.js',
  projects: [
    { ...base, displayName: 'core', testMatch: ['<rootDir>/test/core/**/*.test.ts'] },
    {
      ...base,
      displayName: 'functions',
      testMatch: ['<rootDir>/test/db/**/*.test.ts', '<rootDir>/test/functions/**/*.test.ts', '<rootDir>/test/server/**/*.test.ts']
    },
    { ...base, displayName: 'build', testMatch: ['<rootDir>/test/build/**/*.test.ts'] },
    { ...base, displayName: 'ui', testEnvironment: 'jsdom', testMatch: ['<rootDir>/test/ui/**/*.test.tsx'] },
    // The deployable bundles under the real wx-server-sdk, against the local CloudBase emulator.
    { ...base, displayName: 'cloudbase', testMatch: ['<rootDir>/test/cloudbase/**/*.test.ts'] },
    { ...base, displayName: 'weapp', testEnvironment: 'jsdom', testMatch: ['<rootDir>/test/weapp/**/*.test.ts'] },
    { ...base, displayName: 'e2e', testMatch: ['<rootDir>/test/e2e/**/*.test.ts'] }
  ]
}
