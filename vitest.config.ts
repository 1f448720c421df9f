import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    // QEMU and the firmware builds are CPU-bound; two cores on CI.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
