// The list of CLI commands. Each module exports `register(program)` adding one command.
import type { Command } from 'commander';
import { register as registerServe } from './serve.ts';
import { register as registerLab } from './lab.ts';
import { register as registerAnalyze } from './analyze.ts';
import { register as registerTrain } from './train.ts';
import { register as registerDatasets } from './datasets.ts';
import { register as registerDemo } from './demo.ts';
import { register as registerInspect } from './inspect.ts';
import { register as registerAnnotate } from './annotate.ts';
import { register as registerInvert } from './invert.ts';
import { register as registerReach } from './reach.ts';
import { register as registerBenchmark } from './benchmark.ts';
import { register as registerMerge } from './merge.ts';

/** In the order a user meets them: the tour, then model → analysis → inversion → training → the rest. */
export const commands: Array<(program: Command) => void> = [
  registerDemo,
  registerInspect,
  registerAnnotate,
  registerAnalyze,
  registerInvert,
  registerReach,
  registerTrain,
  registerDatasets,
  registerBenchmark,
  registerMerge,
  registerLab,
  registerServe,
];
