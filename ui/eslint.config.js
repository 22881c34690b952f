// ESLint for the front end: JavaScript, TypeScript and Svelte recommended
// rules, plus the one architectural rule of the UI: only ui/src/lib/api/
// talks to Rust.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default defineConfig(
  // bindings.ts is generated from Rust; it is checked by its generator, not here.
  { ignores: ['**/dist/', '**/src/lib/api/bindings.ts'] },
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@tauri-apps/api', '@tauri-apps/api/*', '@tauri-apps/plugin-*'],
              message: 'only ui/src/lib/api/ talks to Rust; call its typed functions instead',
            },
            {
              group: ['**/bindings', '**/bindings.ts'],
              message: 'the generated bindings are used only inside ui/src/lib/api/',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'], svelteConfig } },
  },
  {
    files: ['**/src/lib/api/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['**/*.config.js', '**/*.config.ts'],
    languageOptions: { globals: { ...globals.node } },
  },
);
