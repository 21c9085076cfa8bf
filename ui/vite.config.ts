import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [svelte()],
  // Tauri loads the built files from disk, so every URL in index.html must be relative.
  base: './',
  clearScreen: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // One small app: a single JS and CSS file load faster from disk than many chunks.
    cssCodeSplit: false,
    // Nothing is split out, so nothing to preload: skip the polyfill.
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
