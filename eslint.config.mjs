// ESLint (flat config): TypeScript rules with type information where they matter (floating and
// misused promises), and the layers: src/core free of `vscode` and of the front ends.
import tseslint from 'typescript-eslint';

/**
 * The layers (ARCHITECTURE.md): src/core is the engine and src/app its use cases (over the Host port);
 * neither imports VS Code or a front end. src/vscode and src/cli are the front ends.
 */
const coreZone = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'vscode',
          message:
            'src/core is pure: take what you need as a parameter (or through a port) instead of importing vscode.',
        },
      ],
      patterns: [
        {
          group: ['**/vscode/**', '**/cli/**'],
          message:
            'src/core and src/app must not import a front end (src/vscode, src/cli): the arrows point into them, never out.',
        },
      ],
    },
  ],
};

/** The extension's feature folders (src/vscode/<feature>): each stands on host/ and language/ alone. */
const FEATURES = ['run', 'testing', 'views', 'webview', 'chat'];

/** A front end imports core and app, never the other front end (and the CLI never loads VS Code). */
function frontEndZone(
  name,
  others,
  forbidVscode,
  message = `${name} must not import another front end or a folder beside or above it: share the code through src/app or src/vscode/host (see ARCHITECTURE.md).`,
) {
  return {
    'no-restricted-imports': [
      'error',
      {
        paths: forbidVscode ? [{ name: 'vscode', message: `${name} runs without VS Code.` }] : [],
        patterns: [{ group: others, message }],
      },
    ],
  };
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './webview/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CatchClause[body.body.length=0]',
          message: 'Do not swallow errors: log them or say why in a comment.',
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/app/**/*.ts'],
    rules: coreZone,
  },
  // Inside core, each folder imports only those below it (ARCHITECTURE.md): shared at the bottom; the model
  // registry (models) on shared; the format on models, never on the Bedrock adapters; io and safety on
  // shared (io may name the format's types); eval (an evaluation's figures) on shared; batch and dataset
  // never import each other; only the engines
  // (the lazily loaded bundles) put folders together.
  ...[
    ['shared', ['models', 'format', 'bedrock', 'dataset', 'batch', 'io', 'safety', 'eval', 'engines'], false],
    ['models', ['format', 'bedrock', 'dataset', 'batch', 'io', 'safety', 'eval', 'engines'], false],
    ['format', ['bedrock', 'dataset', 'batch', 'io', 'safety', 'eval', 'engines'], false],
    ['io', ['models', 'format', 'bedrock', 'dataset', 'batch', 'safety', 'eval', 'engines'], true],
    ['safety', ['models', 'format', 'bedrock', 'dataset', 'batch', 'io', 'eval', 'engines'], false],
    ['batch', ['dataset', 'eval', 'engines'], false],
    ['dataset', ['batch', 'eval', 'engines'], false],
    // An evaluation's figures: pure statistics over records, on shared alone.
    ['eval', ['models', 'format', 'bedrock', 'dataset', 'batch', 'io', 'safety', 'engines'], false],
  ].map(([folder, below, typesAllowed]) => ({
    files: [`src/core/${folder}/**/*.ts`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: below.map((other) => `../${other}/*`),
              message: `src/core/${folder} must not import that folder: see the layers in ARCHITECTURE.md.`,
              allowTypeImports: typesAllowed,
            },
          ],
        },
      ],
    },
  })),
  {
    files: ['src/cli/**/*.ts'],
    rules: frontEndZone('src/cli', ['**/vscode/**'], true),
  },
  {
    files: ['src/vscode/**/*.ts'],
    rules: frontEndZone('src/vscode', ['**/cli/**'], false),
  },
  // Inside the extension: host/ (VS Code glue shared by features) at the bottom, then language/ (the
  // analyses), then one folder per feature (run, testing, views, webview, chat), which never import one
  // another; commands/ wires features together, and extension.ts builds them.
  {
    files: ['src/vscode/host/**/*.ts'],
    rules: frontEndZone(
      'src/vscode/host',
      ['**/cli/**', ...['language', ...FEATURES, 'commands'].map((f) => `../${f}/*`)],
      false,
    ),
  },
  {
    files: ['src/vscode/language/**/*.ts'],
    rules: frontEndZone(
      'src/vscode/language',
      ['**/cli/**', ...[...FEATURES, 'commands'].map((f) => `../${f}/*`)],
      false,
    ),
  },
  ...FEATURES.map((feature) => ({
    files: [`src/vscode/${feature}/**/*.ts`],
    rules: frontEndZone(
      `src/vscode/${feature}`,
      ['**/cli/**', ...[...FEATURES.filter((f) => f !== feature), 'commands'].map((f) => `../${f}/*`)],
      false,
    ),
  })),
  {
    // `import vscode = require('vscode')`, not `import * as vscode`: esbuild wraps a namespace import of an
    // external CommonJS module in __toESM, which copies every member of the API object, once per module
    // (measured: ~17 ms of activation for 29 modules).
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CatchClause[body.body.length=0]',
          message: 'Do not swallow errors: log them or say why in a comment.',
        },
        {
          selector: "ImportDeclaration[source.value='vscode'][importKind!='type'] > ImportNamespaceSpecifier",
          message: "Use `import vscode = require('vscode')` (see eslint.config.mjs).",
        },
      ],
    },
  },
);
