#!/usr/bin/env node
// Entry point for `npx inversa`: runs the TypeScript CLI through tsx's loader (no build step).
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../src/cli/main.ts');
process.exit(await run(process.argv.slice(2)));
