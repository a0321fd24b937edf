import { config } from 'zod';

// The page's CSP allows no eval, so zod cannot compile its parsers here. Saying so up front skips
// zod's `new Function` probe, which the browser reports as a CSP violation (Firefox logs it as an
// error on every load). Imported first by main.ts: zod reads the setting as each schema is built.
config({ jitless: true });
