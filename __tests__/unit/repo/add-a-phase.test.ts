import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'

// CONTRIBUTING's "To add a phase": its folder, its input reader, one row of action/phase-table.ts and
// action.yml. Proved on the compiler: a toy phase (its folder, reading inputs that exist) and its one
// row, with no other source file changed, type-checks as the whole action (every entry), and the
// plan and the results then carry it with its own types. Served from memory: nothing is written.
const ROOT = path.join(import.meta.dirname, '..', '..', '..')
const SRC = path.join(ROOT, 'src')

const TOY: Readonly<Record<string, string>> = {
  'phases/toy/index.ts': `
import type { PhaseDeps } from '../phase.js'

export interface ToyParams { readonly greeting: string }
export interface ToyEarlier { readonly accountId: string | undefined }
export interface ToyResult { readonly said: string }

export function run(params: ToyParams, deps: PhaseDeps, earlier: ToyEarlier): Promise<ToyResult> {
  deps.runtime.info(params.greeting)
  return Promise.resolve({ said: \`\${params.greeting} \${earlier.accountId ?? 'nobody'}\` })
}
`,
  'phases/toy/plan.ts': `
import type { Inputs } from '../../inputs/types.js'
import type { PlanContext } from '../phase.js'
import type { ToyParams } from './index.js'

export function planToy(inputs: Inputs, { selected }: Pick<PlanContext, 'selected'>): ToyParams | undefined {
  return selected.has('deploy') ? { greeting: \`hello from \${inputs.region}\` } : undefined
}
`,
  'phases/toy/report.ts': `
import type { PhaseReport } from '../phase.js'
import type { ToyResult } from './index.js'

export const toyReport: PhaseReport<ToyResult> = {
  outputsOf: (toy) => ({ toy: toy.said }),
  summaryRows: (toy) => [['Toy', [toy.said]]],
}
`,
  // What the row must give the rest of the action, checked where nobody wrote it by hand.
  'toy-check.ts': `
import type { Plan } from './action/plan.js'
import type { RunResults } from './action/results.js'
import type { ToyParams, ToyResult } from './phases/toy/index.js'

type Equal<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
export const planHasToy: Equal<Plan['toy'], ToyParams | undefined> = true
export const resultsHaveToy: Equal<RunResults['toy'], ToyResult | undefined> = true
`,
}

const TOY_IMPORTS = `import type { ToyEarlier, ToyParams, ToyResult } from '../phases/toy/index.js'
import { planToy } from '../phases/toy/plan.js'
import { toyReport } from '../phases/toy/report.js'
`

const TOY_ROW = `  toy: {
    name: 'toy',
    stage: 'aws',
    timeline: 'whole',
    plan: planToy,
    report: toyReport,
    load: () => import('../phases/toy/index.js'),
    earlier: ({ auth }) => ({ accountId: auth?.accountId }),
  } satisfies PhaseRow<ToyParams, ToyEarlier, ToyResult, void, SoFar<{ auth: AuthResult }>>,
`

/** phase-table.ts with the toy's imports and its row before deploy's: the one file that changes. */
function tableWithToy(): string {
  const table = readFileSync(path.join(SRC, 'action', 'phase-table.ts'), 'utf8')
  const rowAt = table.indexOf('  deploy: {')
  expect(rowAt).toBeGreaterThan(0)
  return TOY_IMPORTS + table.slice(0, rowAt) + TOY_ROW + table.slice(rowAt)
}

function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (file) => ts.sys.readFile(file))
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT)
  return { ...options, types: ['node'], noEmit: true }
}

function diagnosticsWith(files: ReadonlyMap<string, string>, roots: readonly string[]): string[] {
  const options = compilerOptions()
  const host = ts.createCompilerHost(options)
  const readFile = host.readFile.bind(host)
  const fileExists = host.fileExists.bind(host)
  host.readFile = (file) => files.get(path.resolve(file)) ?? readFile(file)
  host.fileExists = (file) => files.has(path.resolve(file)) || fileExists(file)
  const directoryExists = host.directoryExists?.bind(host)
  const dirs = new Set([...files.keys()].map((file) => path.dirname(file)))
  host.directoryExists = (dir) => dirs.has(path.resolve(dir)) || (directoryExists?.(dir) ?? true)
  const program = ts.createProgram({ rootNames: roots, options, host })
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`)
}

test('a toy phase is its folder and one row of the table: the whole action type-checks and carries it', () => {
  const files = new Map<string, string>([
    [path.join(SRC, 'action', 'phase-table.ts'), tableWithToy()],
    ...Object.entries(TOY).map(([file, text]): [string, string] => [path.join(SRC, file), text]),
  ])
  const entries = readdirSync(path.join(SRC, 'entries')).map((file) => path.join(SRC, 'entries', file))
  // The declarations src/ keeps for untyped dependencies (snappyjs), as tsconfig.json includes them.
  const declarations = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.d.ts'))
    .map((file) => path.join(SRC, file))
  const roots = [...entries, ...declarations, path.join(SRC, 'main.ts'), path.join(SRC, 'toy-check.ts')]
  expect(diagnosticsWith(files, roots)).toEqual([])
})
