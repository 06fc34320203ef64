import type { Command } from 'commander';
import type { CliIo } from '../io.js';
import { registerLabel } from './label.js';
import { registerLabelModel } from './labelmodel.js';
import { registerTrain } from './train.js';
import { registerGlue } from './glue.js';
import { registerReport } from './report.js';
import { registerEval } from './eval.js';
import { registerPredict } from './predict.js';
import { registerGlueSubmit } from './glue-submit.js';
import { registerEnsemble } from './ensemble.js';

/** A subcommand group: adds its commands to the program. */
export type RegisterCommand = (program: Command, io: CliIo) => void;

/** Every subcommand group of `mmtl`, in help order. Add one line per group. */
export const COMMANDS: RegisterCommand[] = [
  registerLabel,
  registerLabelModel,
  registerTrain,
  registerEval,
  registerPredict,
  registerEnsemble,
  registerGlue,
  registerGlueSubmit,
  registerReport,
];
