// The dataset engine as one module, bundled on its own (dist/datasetEngine.js) and loaded when a
// dataset command first runs.
export { buildDataset, reportMarkdown, goesToValidation } from '../dataset/build';
export { conversationFromRequest } from '../dataset/records';
export { readRows, streamRows, surveyRows } from '../io/rows';
export { runBatch, partialPathFor, writeAtomically } from '../batch/runBatch';
export { buildJobRecords, sampleRequests } from '../batch/jobRecords';
export { toBatchRecord, outputLinesFromJob, MIN_BATCH_RECORDS, MAX_BATCH_RECORDS } from '../batch/batchInference';
export { gitignoreFilter } from '../io/gitignore';
export { scanSecretsDeep, redactSecretsDeep } from '../safety/secretScan';
