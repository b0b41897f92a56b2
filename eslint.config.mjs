// ESLint for every part: type-aware typescript-eslint rules, React hooks rules for the
// renderer, and the IPC rule of GitHub Desktop: raw ipcMain / ipcRenderer / webContents.send
// only in the files that wrap them.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const RAW_IPC_FILES = ['electron/main/ipc-host.ts', 'electron/main/push-forwarder.ts', 'electron/preload/index.ts'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test/artifacts/**', 'test/fixtures/**', 'bin/**', '**/*.cjs', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/only-throw-error': 'error',
      // Contract handlers are async by type even when they answer at once.
      '@typescript-eslint/require-await': 'off',
      // A `let` assigned once but read earlier by a closure (a signal handler) is not a const.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      curly: ['error', 'multi-line'],
      eqeqeq: ['error', 'smart'],
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.property.name='webContents'][property.name='send']", message: 'send pushes through electron/main/push-forwarder.ts' },
      ],
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'electron', importNames: ['ipcMain', 'ipcRenderer'], message: 'raw IPC lives only in the IPC host, the push forwarder and the preload' }] },
      ],
    },
  },
  { files: RAW_IPC_FILES, rules: { 'no-restricted-imports': 'off', 'no-restricted-syntax': 'off' } },
  {
    files: ['renderer/**/*.{ts,tsx}', 'test/unit/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.property.name='webContents'][property.name='send']", message: 'send pushes through electron/main/push-forwarder.ts' },
        // Chromium builds a formatter per toLocaleString call (14 µs; a shared one formats in 0.5 µs).
        { selector: "CallExpression[callee.property.name='toLocaleString'][arguments.length<2]", message: 'format counts with groupedNumber (renderer/src/lib/format.ts)' },
      ],
    },
  },
  {
    // Tests and benchmarks may poke at internals and use loose mocks.
    files: ['test/**/*.{ts,tsx}', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Mocks and DOM queries are typed by casts that tsc needs even where this rule calls them inferable.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
    },
  },
);
