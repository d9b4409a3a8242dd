import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const PHASES = ['auth', 'ecr', 'kubeconfig', 'deploy', 'teardown']
// action/'s imports of phase internals, until each phase owns its plan and its report (issue 20, stage two).
const STAGE_TWO = [
  'auth/oidc',
  'deploy/changes/markdown',
  'deploy/changes/types',
  'deploy/manifests/load',
  'deploy/rollout/markdown',
  'ecr/docker-config',
  'ecr/image-tag',
  'ecr/registry',
]

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
  // Only a phase's index.ts is imported from outside its folder, and the shared floors (helm, kube,
  // lib, runner, eks-token) import no phase. STAGE_TWO lists what action/ still reaches into; the
  // second stage of issue 20 (each phase's plan.ts and report.ts) removes it.
  {
    files: ['src/**/*.ts'],
    ignores: ['src/phases/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `(^|/)phases/(?!(?:[^/]+/index|${STAGE_TWO.join('|')})\\.js$)[^/]+/`,
              message: 'Import a phase through its index.ts; what others need of it, it exports there.',
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
