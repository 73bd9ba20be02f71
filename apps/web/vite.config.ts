import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The server serves dist/ itself; in `vite dev` the API is proxied to a local `zegel serve`. */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Inline assets would become data: URLs in CSS or scripts; keep every asset a file under 'self'.
    assetsInlineLimit: 0,
    sourcemap: true,
    rolldownOptions: {
      // @zegel/protocol's modules only declare (TypeBox schemas, functions): without this, a page
      // that needs one helper of a module would carry all of that module's schemas and TypeBox.
      treeshake: { moduleSideEffects: [{ test: /\/packages\/protocol\/src\//, sideEffects: false }] },
    },
  },
  worker: { format: 'es' },
  server: { proxy: { '/api': 'http://localhost:8080' } },
});
