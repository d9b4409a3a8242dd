import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const PHASES = ['auth', 'ecr', 'kubeconfig', 'deploy', 'teardown']

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'bench/results/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.strictTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  // From outside its folder a phase is imported only through its contract: index.ts (run, types),
  // plan.ts (inputs → its parameters), report.ts (its outputs and summary rows) and head-start.ts
  // (what starts with the step). plan.ts and report.ts stay light: importing them never loads the
  // phase's runtime code (the SDK, helm), which index.ts would. The shared floors (helm, kube,
  // lib, runner, eks-token) import no phase.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/phases/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `(^|/)phases/(?![^/]+/(?:index|plan|report|head-start)\\.js$)[^/]+/`,
              message:
                'Import a phase through its index.ts, plan.ts, report.ts or head-start.ts; what others need of it, it exports there.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/phases/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(\\.\\./)+(${PHASES.join('|')})/(?!index\\.js$)`,
              message:
                'A phase imports another phase only through its index.ts (shared code belongs in src/helm, src/kube or src/lib).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/{helm,kube,lib,runner,eks-token}/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '(^|/)phases/', message: 'A shared floor imports no phase: phases build on it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
)
