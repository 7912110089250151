// ESLint (flat config): TypeScript rules with type information where they matter (floating and
// misused promises), and the rule that keeps the pure core free of `vscode`.
import tseslint from 'typescript-eslint';

const noVscode = {
  'no-restricted-imports': [
    'error',
    {
      paths: [
        {
          name: 'vscode',
          message:
            'src/prompt, src/bedrock, src/dataset, src/batch and src/shared are pure: take what you need as a parameter instead of importing vscode.',
        },
      ],
    },
  ],
};

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
    files: [
      'src/prompt/**/*.ts',
      'src/bedrock/**/*.ts',
      'src/dataset/**/*.ts',
      'src/batch/**/*.ts',
      'src/shared/**/*.ts',
    ],
    rules: noVscode,
  },
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
