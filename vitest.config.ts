import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/slow/**'],
          setupFiles: ['test/setup/fail-on-console.ts'],
          testTimeout: 30_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'slow',
          include: ['test/slow/**/*.test.ts'],
          setupFiles: ['test/setup/fail-on-console.ts'],
          testTimeout: 300_000,
          pool: 'forks',
        },
      },
    ],
  },
});
