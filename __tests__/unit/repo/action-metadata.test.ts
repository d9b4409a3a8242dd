import { readFileSync } from 'node:fs'
import path from 'node:path'
import { NoOperationTraceWriter } from '@actions/workflow-parser'
import { parseAction } from '@actions/workflow-parser/actions/index'
import { Ajv } from 'ajv'
import { parse } from 'yaml'
import { ROOT } from '../../fixtures/action-runner.js'

// action.yml is checked by two validators, because neither is enough alone:
// - @actions/workflow-parser's parseAction, GitHub's own parser (its action-v1.0 schema): the keys GitHub
//   knows at the top level and under runs, the `using` values (node24 included), required fields, the
//   expression syntax of post-if. It misses unknown keys inside an input, and refuses `color: black`,
//   which GitHub accepts (so this action does not use black).
// - __tests__/fixtures/action-schema.json, a strict JSON schema (ajv): no unknown key anywhere (a typo
//   such as `requird:` in an input), the Marketplace's description limit, the branding icons and colors.
// (@action-validator/cli, the usual choice, does not know `using: node24` yet.)
const source = readFileSync(path.join(ROOT, 'action.yml'), 'utf8')

function parserErrors(text: string): string[] {
  const result = parseAction({ name: 'action.yml', content: text }, new NoOperationTraceWriter())
  return result.context.errors.getErrors().map((error) => error.message)
}

// The package's exports hide its schema file: read it from the installed package.
const parserSchema = JSON.parse(
  readFileSync(path.join(ROOT, 'node_modules/@actions/workflow-parser/dist/action-v1.0.min.json'), 'utf8'),
) as { definitions: { 'branding-icon': { 'allowed-values': string[] } } }
const schema = JSON.parse(readFileSync(path.join(ROOT, '__tests__/fixtures/action-schema.json'), 'utf8')) as {
  properties: { branding: { properties: { icon: { enum?: string[] } } } }
}
// The icons GitHub's parser allows (Feather icons without the brand logos), not a hand-kept copy.
schema.properties.branding.properties.icon.enum = parserSchema.definitions['branding-icon']['allowed-values']
const validate = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema)

function schemaErrors(text: string): string[] {
  if (validate(parse(text))) return []
  return (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`)
}

describe('action.yml', () => {
  test("GitHub's parser accepts it", () => {
    expect(parserErrors(source)).toEqual([])
  })

  test('the strict schema accepts it', () => {
    expect(schemaErrors(source)).toEqual([])
  })

  test('it has what the Marketplace shows: a name, a short description, an author, branding', () => {
    const action = parse(source) as Record<string, unknown>
    expect(action.name).toEqual(expect.stringMatching(/EKS/))
    expect((action.description as string).length).toBeLessThan(125)
    expect(action.author).toEqual(expect.any(String))
    expect(action.branding).toEqual({ icon: expect.any(String), color: expect.any(String) })
  })

  // Each validator fails on what it is relied on for: neither check above passes by accepting anything.
  const mutations: {
    what: string
    mutate: (text: string) => string
    byParser: boolean
    bySchema: boolean
  }[] = [
    {
      what: 'an unknown runtime',
      mutate: (s) => s.replace('using: node24', 'using: node99'),
      byParser: true,
      bySchema: true,
    },
    { what: 'no main entry', mutate: (s) => s.replace(/\n {2}main: .*/, ''), byParser: true, bySchema: true },
    { what: 'an unknown top-level key', mutate: (s) => `${s}\nfoo: bar\n`, byParser: true, bySchema: true },
    {
      what: 'a broken post-if expression',
      mutate: (s) => s.replace('post-if: always()', 'post-if: ${{ always( }}'),
      byParser: true,
      bySchema: false,
    },
    {
      what: 'a typo inside an input',
      mutate: (s) => s.replace(/(\n {4})required: false/, '$1requird: false'),
      byParser: false,
      bySchema: true,
    },
    {
      what: 'an icon GitHub does not have',
      mutate: (s) => s.replace(/icon: \S+/, 'icon: rocket'),
      byParser: true,
      bySchema: true,
    },
    {
      what: 'a description of 125 characters',
      mutate: (s) => s.replace(/^description: .*$/m, `description: ${'x'.repeat(125)}`),
      byParser: false,
      bySchema: true,
    },
  ]
  test.each(mutations)(
    '$what is caught (by the parser: $byParser, by the schema: $bySchema)',
    ({ mutate, byParser, bySchema }) => {
      const broken = mutate(source)
      expect(broken).not.toBe(source)
      expect(parserErrors(broken).length > 0).toBe(byParser)
      expect(schemaErrors(broken).length > 0).toBe(bySchema)
    },
  )
})
