import { z } from 'zod';

// Strict CSP (script-src 'self'): zod's JIT probes `new Function`, which the CSP refuses and
// reports as a console error. Parse without it.
z.config({ jitless: true });
