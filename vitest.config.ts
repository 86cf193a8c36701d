import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Native modules (better-sqlite3, sharp) are happiest in child processes rather than worker threads.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Starts the Ceph object gateway for the S3 suites in the background (scripts/ceph/start-rgw.sh).
    // Each test file's temp directories go when it ends; the run's own temp directory when the run does.
    setupFiles: ['tests/helpers/remove-temp-dirs.ts'],
    globalSetup: ['tests/helpers/run-temp-global-setup.ts', 'tests/helpers/ceph-global-setup.ts'],
    // The AWS SDK's notice that its 2027 releases will want Node 22 would otherwise open every S3 suite's output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
