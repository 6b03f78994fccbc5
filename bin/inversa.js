#!/usr/bin/env node
// Entry point for `npx inversa`: runs the compiled CLI, bundled into one file (dist/cli/bundle.js,
// built by `npm run build`, which `npm install` in a clone and `npm pack` run through the `prepare`
// script) so that start-up loads one module instead of ~170. No TypeScript at run time.
import { run } from '../dist/cli/bundle.js';

process.exit(await run(process.argv.slice(2)));
