#!/usr/bin/env node
// Entry point for `npx inversa`: runs the compiled CLI in dist/ (built by `npm run build`, which
// `npm install` in a clone and `npm pack` run through the `prepare` script). No TypeScript at run time.
import { run } from '../dist/cli/main.js';

process.exit(await run(process.argv.slice(2)));
