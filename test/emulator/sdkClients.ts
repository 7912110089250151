// The real S3 and Bedrock control-plane clients pointed at a fresh emulator, for one mocha suite.
import { S3Client } from '@aws-sdk/client-s3';
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { startEmulator, type BedrockEmulator, type EmulatorOptions } from './index';

export const credentials = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' };
export const BUCKET = 'bedrock-prompt-lab-data';

export interface SdkClients {
  emu: BedrockEmulator;
  s3: S3Client;
  bedrock: BedrockClient;
}

/** Starts the emulator and the clients before the suite and stops them after; the fields are set in `before`. */
export function useSdkClients(options: EmulatorOptions): SdkClients {
  const ctx = {} as SdkClients;
  before(async () => {
    ctx.emu = await startEmulator(options);
    ctx.s3 = new S3Client({ endpoint: ctx.emu.url, region: 'us-east-1', credentials, forcePathStyle: true });
    ctx.bedrock = new BedrockClient({ endpoint: ctx.emu.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  });
  after(async () => {
    ctx.s3.destroy();
    ctx.bedrock.destroy();
    await ctx.emu.stop();
  });
  return ctx;
}
