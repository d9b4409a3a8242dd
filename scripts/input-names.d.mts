export interface ActionYamlInput {
  readonly name: string
  readonly phase: string
  readonly isDeprecated: boolean
  readonly replacedBy?: string
}

/** Where the generated module lives. */
export const INPUT_NAMES_MODULE: string

/** The inputs of action.yml (or of the given text), in its order. */
export function readActionInputs(text?: string): ActionYamlInput[]

/** The text of src/inputs/input-names.ts for these inputs. */
export function renderInputNamesModule(inputs: readonly ActionYamlInput[]): string
