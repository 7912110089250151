import vscode = require('vscode');
import type { AwsSettings } from '../bedrock/settings';

export const SECTION = 'bedrockPromptLab';

/** Typed access to the extension's settings (declared in package.json with their scopes). */
export const config = {
  aws(): AwsSettings {
    const c = vscode.workspace.getConfiguration(SECTION);
    const seconds = (key: string, fallback: number) => Math.max(1, c.get<number>(key, fallback)) * 1000;
    return {
      profile: c.get<string>('profile'),
      region: c.get<string>('region'),
      endpoint: c.get<string>('endpoint'),
      firstByteTimeoutMs: seconds('network.firstByteTimeoutSeconds', 60),
      converseTimeoutMs: seconds('network.converseTimeoutSeconds', 300),
    };
  },
  affectsAws(e: vscode.ConfigurationChangeEvent): boolean {
    return ['profile', 'region', 'endpoint', 'network'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
  },
  async update(key: 'profile' | 'region', value: string | undefined): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  },
};
