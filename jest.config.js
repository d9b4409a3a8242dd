// ESM + ts-jest: see README "Development" for why the project is ESM.
const shared = {
  preset: 'ts-jest/presets/default-esm',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      'ts-jest',
      { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } },
    ],
  },
}

// On a Node older than 22, every test file that makes an AWS SDK client would print the SDK's 8-line
// NodeVersionSupportWarning. The action runs on node24, where the SDK never prints it: silence it for
// the tests only (the SDK's own switch; jest's workers inherit this environment).
if (Number(process.versions.node.split('.')[0]) < 22)
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/__tests__/unit/**/*.test.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/__tests__/integration/**/*.test.ts'],
      slowTestThreshold: 30,
    },
  ],
  testTimeout: 60000,
  // Two suites at once even on a 2-core runner, where jest's default is one: the lab suites spend most of
  // their time waiting on the API server and on helm, not on the CPU (a full run: 985 s with one worker).
  // They keep to namespaces, releases and settings files of their own, so they do not meet.
  maxWorkers: 2,
}
