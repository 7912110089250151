// Where the user changes what a message asks them to change. The engine's messages name a fix; the fix
// is a setting in the editor and a flag in a terminal. Each front end installs its wording once, at
// start (the extension and the CLI are separate bundles and processes), and every message that names a
// fix reads it from here, so no message carries one front end's words into the other.

export interface Remedies {
  /** A sentence: how to choose a region. */
  chooseRegion: string;
  /** The name of what holds the endpoint override. */
  endpoint: string;
  /** The name of what raises the stall timeout. */
  stallTimeout: string;
  /** The names of what raise the stream's first-byte timeout and a whole call's timeout. */
  firstByteTimeout: string;
  requestTimeout: string;
  /** Where the user's own prices go (completes "add it to …"). */
  pricing: string;
  /** Where the user's own prices came from (completes "… from …"). */
  pricingSource: string;
  /** Completes "…, or …": how to use another AWS profile. */
  otherProfile: string;
  /** Completes "build again …": how to mask secrets rather than stop. */
  redactSecrets: string;
  /** The name of what sets the largest pass-rate drop a baseline allows. */
  maxRegression: string;
  /** Sentences: what to do when Bedrock refuses the API key in use. */
  renewApiKey: string;
  /** Sentences: how to give S3 and knowledge bases the credentials a Bedrock API key cannot stand for. */
  credentialsForS3: string;
  /** Completes "Use …": how to pick another Bedrock project. */
  chooseProject: string;
}

export const EDITOR_REMEDIES: Remedies = {
  chooseRegion: 'Choose a region (status bar or the bedrockPromptLab.region setting)',
  endpoint: 'bedrockPromptLab.endpoint',
  stallTimeout: 'bedrockPromptLab.run.stallTimeoutSeconds',
  firstByteTimeout: 'bedrockPromptLab.network.firstByteTimeoutSeconds',
  requestTimeout: 'bedrockPromptLab.network.converseTimeoutSeconds',
  pricing: 'bedrockPromptLab.pricing',
  pricingSource: 'your bedrockPromptLab.pricing setting',
  otherProfile: 'choose another profile',
  redactSecrets: 'with secrets set to redact',
  maxRegression: 'bedrockPromptLab.tests.maxRegression',
  renewApiKey:
    'Create a new key (Amazon Bedrock console, API keys) and run "Bedrock: Sign in with a Bedrock API Key"; or "Bedrock: Sign out of the Bedrock API Key" to use the profile.',
  credentialsForS3:
    'Choose a profile with access to the bucket or the knowledge base (status bar); the API key stays in use for model calls.',
  chooseProject:
    'an active project: "Bedrock: Choose Project…" lists them (the bedrockPromptLab.project setting; a prompt\'s bedrock.project wins)',
};

export const TERMINAL_REMEDIES: Remedies = {
  chooseRegion: 'Pass --region',
  endpoint: '--endpoint',
  stallTimeout: '--stall-timeout',
  firstByteTimeout: '--first-byte-timeout',
  requestTimeout: '--request-timeout',
  pricing: 'a --prices file',
  pricingSource: 'your prices (--prices)',
  otherProfile: 'pass --profile',
  redactSecrets: 'with --secrets redact',
  maxRegression: '--max-regression',
  renewApiKey:
    'Create a new key (Amazon Bedrock console, API keys) and set AWS_BEARER_TOKEN_BEDROCK to it, or unset it to use the profile.',
  credentialsForS3:
    'Pass --profile (or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) with access to the bucket or the knowledge base; AWS_BEARER_TOKEN_BEDROCK stays in use for model calls.',
  chooseProject: "another --project (an active one, or 'default'); a prompt's bedrock.project wins",
};

// Kept on the global object, not in a module variable: the lazy bundles (the dataset engine, the MCP
// server) carry their own copy of this module, and must read what the front end installed.
const KEY = Symbol.for('bedrockPromptLab.remedies');
const slot = globalThis as { [KEY]?: Remedies };

/** The wording of the front end in this process. */
export function remedies(): Remedies {
  return slot[KEY] ?? EDITOR_REMEDIES;
}

/** Called once by a front end at start. */
export function useRemedies(wording: Remedies): void {
  slot[KEY] = wording;
}
