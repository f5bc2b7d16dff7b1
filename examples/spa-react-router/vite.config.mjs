// Vite build of the SPA example: React via the official plugin; output in dist/, served by server.mjs.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // The beacon is served by the Touchline middleware at run time, not a file Vite could bundle.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, reportCompressedSize: false },
  logLevel: 'warn',
});
