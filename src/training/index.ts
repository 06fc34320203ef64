// training: LR schedules, batch schedulers, metric keys, early stopping, checkpoint policy and store, metric log writers, run-folder file manifests.
export * from './lr-schedule.js';
export * from './batch-scheduler.js';
export * from './metric-key.js';
export * from './early-stopping.js';
export * from './checkpoint-policy.js';
export * from './checkpoint-store.js';
export * from './jsonl-writer.js';
export * from './tfevents-writer.js';
export * from './trainer-config.js';
export * from './trainer.js';
export * from './two-stage.js';
export * from './select-checkpoint.js';
export * from './run-folder-inputs.js';
export * from './run-files.js';
