import { defineConfig } from 'vite';

// `vite build dashboard` writes dashboard/dist, which the server serves at /. The statechart's
// layout engine (elkjs's bundled build, 1.6 MB) is copied as it is and loaded when a chart is first opened.
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry comments next to its /* @__PURE__ */ marks that Rollup reports and drops.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
});
