// The .prompt engine (yaml, handlebars, dotprompt) as one module. It is bundled on its own
// (dist/promptEngine.js) and required on first use, so activation does not pay for parsing it.
export { analyzePrompt } from './analyze';
export { renderPrompt, renderForDataset, compilePrompt, requestForModel } from './render';
export { parseTestFile } from './testCases';
export { readTestResult } from './testResult';
export {
  checkAssertions,
  judgeRequest,
  judgedMessage,
  verdictFrom,
  outputSchemaProblem,
  REFERENCE_RUBRIC,
} from './assertions';
export {
  appendedAnswerStart,
  lastAnswerText,
  partialAnswerLine,
  promptTextForRun,
  readConversation,
  waitsForToolResults,
} from './conversationReader';
