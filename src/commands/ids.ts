// Every command the extension contributes, typed. package.json declares the same ids; a unit test
// keeps the two in step.
export const Commands = {
  newPrompt: 'bedrockPromptLab.newPrompt',
  run: 'bedrockPromptLab.run',
  compareModels: 'bedrockPromptLab.compareModels',
  stop: 'bedrockPromptLab.stop',
  openRunHistory: 'bedrockPromptLab.openRunHistory',
  createDataset: 'bedrockPromptLab.createDataset',
  uploadDataset: 'bedrockPromptLab.uploadDataset',
  startCustomizationJob: 'bedrockPromptLab.startCustomizationJob',
  refreshJobs: 'bedrockPromptLab.refreshJobs',
  stopJob: 'bedrockPromptLab.stopJob',
  createProvisionedThroughput: 'bedrockPromptLab.createProvisionedThroughput',
  refreshModels: 'bedrockPromptLab.refreshModels',
  filterModels: 'bedrockPromptLab.filterModels',
  searchModels: 'bedrockPromptLab.searchModels',
  clearModelFilter: 'bedrockPromptLab.clearModelFilter',
  useModelInPrompt: 'bedrockPromptLab.useModelInPrompt',
  newPromptWithModel: 'bedrockPromptLab.newPromptWithModel',
  runWithModel: 'bedrockPromptLab.runWithModel',
  copyModelId: 'bedrockPromptLab.copyModelId',
  copyModelArn: 'bedrockPromptLab.copyModelArn',
  selectProfile: 'bedrockPromptLab.selectProfile',
  configureAws: 'bedrockPromptLab.configureAws',
  selectRegion: 'bedrockPromptLab.selectRegion',
  showLog: 'bedrockPromptLab.showLog',
} as const;

export type CommandId = (typeof Commands)[keyof typeof Commands];
