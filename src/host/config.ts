import vscode = require('vscode');
import type { AwsSettings } from '../bedrock/settings';

export const SECTION = 'bedrockPromptLab';

/** Typed access to the extension's settings (declared in package.json with their scopes). */
export const config = {
  aws(): AwsSettings {
    const c = vscode.workspace.getConfiguration(SECTION);
    return { profile: c.get<string>('profile'), region: c.get<string>('region'), endpoint: c.get<string>('endpoint') };
  },
  affectsAws(e: vscode.ConfigurationChangeEvent): boolean {
    return ['profile', 'region', 'endpoint'].some((k) => e.affectsConfiguration(`${SECTION}.${k}`));
  },
  async update(key: 'profile' | 'region', value: string | undefined): Promise<void> {
    await vscode.workspace.getConfiguration(SECTION).update(key, value, vscode.ConfigurationTarget.Global);
  },
};
