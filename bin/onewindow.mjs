#!/usr/bin/env node
// The `onewindow` admin CLI. Runs the TypeScript sources through tsx.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../cli/main.ts');
const code = await main(process.argv.slice(2));
if (code >= 0) process.exitCode = code;
