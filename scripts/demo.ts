// `npm run demo`: the product's main job with no AWS account. Starts the local Bedrock-compatible
// server (paced so streaming is visible) and a real VS Code (code-server) with the extension loaded
// on a copy of examples/, then prints the URL to open. Ctrl-C stops both.
// Options: --port N (VS Code, default 8080), --emulator-port N (default 8787), --host ADDR,
//          --fresh (start again from a clean copy of examples/), --token-delay MS (default 25).
import { promises as fs, existsSync } from 'node:fs';
import path from 'node:path';
import { startEmulator } from '../test/emulator';
import { REPO_ROOT, selectedHost, startCodeServer } from '../test/host/codeServer';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const demoDir = path.join(REPO_ROOT, '.demo');
  const workspace = path.join(demoDir, 'workspace');
  if (process.argv.includes('--fresh')) await fs.rm(workspace, { recursive: true, force: true });
  if (!existsSync(workspace)) {
    // A copy, so runs (which append the model's answers to the prompt files) never touch examples/.
    await fs.mkdir(demoDir, { recursive: true });
    await fs.cp(path.join(REPO_ROOT, 'examples'), workspace, { recursive: true });
  }
  const awsDir = path.join(demoDir, 'aws');
  await fs.mkdir(awsDir, { recursive: true });
  await fs.writeFile(
    path.join(awsDir, 'config'),
    '[default]\nregion = us-east-1\n\n[profile demo-west]\nregion = us-west-2\n',
  );
  await fs.writeFile(
    path.join(awsDir, 'credentials'),
    '[default]\naws_access_key_id = AKIDLOCALEMULATOR\naws_secret_access_key = local-emulator-secret\n\n[demo-west]\naws_access_key_id = AKIDLOCALEMULATOR\naws_secret_access_key = local-emulator-secret\n',
  );

  const emulator = await startEmulator({
    port: Number(flag('--emulator-port', '8787')),
    tokenDelayMs: Number(flag('--token-delay', '25')),
    firstTokenDelayMs: 300,
  });
  const env: Record<string, string> = {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_CONFIG_FILE: path.join(awsDir, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(awsDir, 'credentials'),
    AWS_REGION: 'us-east-1',
  };
  // The user's real credentials and endpoints must not leak into the demo.
  for (const key of [
    'AWS_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_BEARER_TOKEN_BEDROCK',
  ])
    delete process.env[key];
  // The newest VS Code (what most users have), where Bedrock models also appear in VS Code's own chat.
  const testHost = selectedHost('newest');
  const server = await startCodeServer({
    testHost,
    workspace,
    env,
    port: Number(flag('--port', '8080')),
    host: flag('--host', '127.0.0.1'),
    settings: {
      'workbench.colorTheme': 'Default Dark Modern',
      'git.openRepositoryInParentFolders': 'never',
      'chat.disableAIFeatures': false,
      'bedrockPromptLab.chat.models': ['amazon.nova-lite-v1:0', 'anthropic.claude-3-haiku-20240307-v1:0'],
      // The local server's account: Deploy as Agent creates harnesses that assume this role.
      'bedrockPromptLab.agent.roleArn': 'arn:aws:iam::123456789012:role/AgentCoreHarness',
      // The local server's bucket: batch inference and prompt optimization jobs put their files here.
      'bedrockPromptLab.batch.s3Uri': 's3://bedrock-prompt-lab-data/demo/',
    },
  });
  const payload = [['extensionDevelopmentPath', `vscode-remote://127.0.0.1:${server.port}${REPO_ROOT}`]];
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await fs.writeFile(path.join(demoDir, 'url.txt'), `${url}\n`);
  process.stdout.write(
    [
      '',
      'Bedrock Prompt Lab demo is running.',
      `  Local Bedrock server: ${emulator.url}`,
      `  VS Code:              ${url}`,
      `                        (VS Code ${testHost.vscode} from code-server ${testHost.codeServer}, Node ${testHost.node}; BPL_HOST=oldest for 1.100)`,
      '',
      'Open the VS Code URL in a browser (it is also in .demo/url.txt). The "Bedrock" icon in the activity',
      'bar opens the model explorer; open any .prompt file in the workspace. Ctrl-C stops the demo.',
      '',
    ].join('\n'),
  );
  const stop = () => {
    void Promise.all([server.stop(), emulator.stop()]).finally(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
