import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    // Integration tests load real ONNX models and open real sockets; on a 2-core
    // machine running files one at a time keeps timings sane and output readable.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // A fresh config folder per test file (recent shows, saved outputs): see the file.
    setupFiles: ['tests/helpers/fresh-config-dir.ts'],
  },
});
