// experiment: experiment files (GLUE names or tasks over the user's own files), build, run, resume, predict,
// evaluate, the supervision ladder and ensemble runs; RunFolder owns the run-folder layout.
export {
  ExperimentConfig,
  experimentJsonSchema,
  isFileWeak,
  type ExperimentOptions,
  type FileWeakConfig,
  type GlueWeakConfig,
} from './schema.js';
export {
  CustomTaskConfig,
  LABEL_TYPE_NAMES,
  taskInput,
  isCustomTask,
  type CustomTaskOptions,
  type TaskInput,
} from './task-config.js';
export { loadExperiment, parseExperiment, setPath } from './load.js';
export { LABEL_TYPES, type LabelType } from './labels.js';
export {
  ENCODERS,
  shippedDataPath,
  type EncoderFactory,
  type TextEncoding,
  type SharedEncoder,
} from './encoder.js';
export { RunFolder, type CheckpointSlot } from './run-folder.js';
export type { StandardizerState } from './tabular.js';
export type { CustomTaskMeta } from './custom-task.js';
export {
  buildExperiment,
  experimentTaskNames,
  type BuildExperimentOptions,
  type BuiltExperiment,
  type CustomTaskData,
  type TaskData,
} from './build.js';
export type { WeakSummary } from './weak.js';
export { experimentInputs } from './inputs.js';
export {
  defaultRunDir,
  resumeExperiment,
  runExperiment,
  type ExperimentResult,
  type RunExperimentOptions,
  type TaskResult,
} from './run.js';
export {
  defaultStage,
  predictGlueRows,
  readRunConfig,
  restoreRun,
  RunModels,
  scoreGlueRows,
  type RestoredRun,
  type RestoreRunOptions,
} from './restore.js';
export {
  evaluateFile,
  evaluateRun,
  predictFile,
  type EvaluateRunOptions,
  type FileRunOptions,
  type PredictionLine,
} from './predict.js';
export { predictGlueSplit, submitGlueRun, type GluePredictOptions } from './glue-run.js';
export { ladderMarkdown, runLadder, type LadderOptions, type LadderRow as LadderTableRow } from './ladder.js';
export { runEnsemble, type EnsembleLine, type EnsembleRunOptions } from './ensemble-run.js';
