export { BedrockEmulator, EMULATOR_API_KEY, startEmulator, type EmulatorOptions, type RecordedRequest } from './server';
export { HTTP_ERRORS, STREAM_EXCEPTIONS, type Fault, type FaultRule } from './faults';
export { foundationModels, findModel, type CatalogueModel } from './catalogue';
export { answer, tokenize } from './responder';
export { ACCOUNT_ID } from './state';
