/**
 * The part of the GitHub Actions runner protocol this action speaks: inputs, workflow commands on
 * stdout, and the file commands (GITHUB_OUTPUT, GITHUB_ENV, GITHUB_STATE, GITHUB_PATH,
 * GITHUB_STEP_SUMMARY). It writes exactly what @actions/core 3 writes for the same calls
 * (lib/core.js, command.js, file-command.js, summary.js), without importing it: @actions/core
 * statically loads its OIDC client and with it undici, about 60 ms of every process start, for a
 * token this action fetches over node:http. Values are strings only, so core's toCommandValue
 * (JSON for non-strings) is the identity here.
 * https://docs.github.com/actions/reference/workflows-and-actions/workflow-commands
 */
import { randomUUID } from 'node:crypto'
import { appendFileSync, constants, existsSync } from 'node:fs'
import { access, appendFile } from 'node:fs/promises'
import { EOL } from 'node:os'
import { delimiter as pathDelimiter } from 'node:path'

/** Where an annotation points (core's AnnotationProperties). */
export interface AnnotationProperties {
  readonly title?: string
  readonly file?: string
  readonly startLine?: number
  readonly endLine?: number
  readonly startColumn?: number
  readonly endColumn?: number
}

type CommandProperties = Readonly<Record<string, string | number | undefined>>

const escapeData = (value: string): string =>
  value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')

const escapeProperty = (value: string): string => escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C')

/** `::command key=value,key=value::message`; properties without a value are left out, as core does. */
export function formatCommand(command: string, properties: CommandProperties, message: string): string {
  const props = Object.entries(properties)
    .filter((entry): entry is [string, string | number] => Boolean(entry[1]))
    .map(([key, value]) => `${key}=${escapeProperty(String(value))}`)
    .join(',')
  return `::${command}${props === '' ? '' : ` ${props}`}::${escapeData(message)}`
}

function issueCommand(command: string, properties: CommandProperties, message: string): void {
  process.stdout.write(formatCommand(command, properties, message) + EOL)
}

function issueFileCommand(command: string, message: string): void {
  const filePath = process.env[`GITHUB_${command}`]
  if (filePath === undefined || filePath === '')
    throw new Error(`Unable to find environment variable for file command ${command}`)
  if (!existsSync(filePath)) throw new Error(`Missing file at path: ${filePath}`)
  appendFileSync(filePath, `${message}${EOL}`, { encoding: 'utf8' })
}

/**
 * `name<<ghadelimiter_<uuid>` heredoc: a value may hold newlines. A name or value holding the
 * (random) delimiter could smuggle in other lines, so it is refused.
 */
export function formatKeyValue(
  name: string,
  value: string,
  delimiter = `ghadelimiter_${randomUUID()}`,
): string {
  if (name.includes(delimiter))
    throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`)
  if (value.includes(delimiter))
    throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`)
  return `${name}<<${delimiter}${EOL}${value}${EOL}${delimiter}`
}

/** A file command when the runner named the file, else the older stdout command. */
function issueKeyValue(file: string, command: string, name: string, value: string): void {
  if (process.env[`GITHUB_${file}`]) issueFileCommand(file, formatKeyValue(name, value))
  else issueCommand(command, { name }, value)
}

/** `INPUT_<NAME>`: upper case, spaces to `_` (dashes kept), trimmed; '' when not given. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '').trim()
}

export function setOutput(name: string, value: string): void {
  if (process.env.GITHUB_OUTPUT) {
    issueFileCommand('OUTPUT', formatKeyValue(name, value))
    return
  }
  process.stdout.write(EOL)
  issueCommand('set-output', { name }, value)
}

/** Exports to later steps and, as core does, to this process (and so to the children it starts). */
export function exportVariable(name: string, value: string): void {
  process.env[name] = value
  issueKeyValue('ENV', 'set-env', name, value)
}

export function saveState(name: string, value: string): void {
  issueKeyValue('STATE', 'save-state', name, value)
}

/** What the main step saved with saveState, in the post step. */
export function getState(name: string): string {
  return process.env[`STATE_${name}`] || ''
}

export function addPath(dir: string): void {
  if (process.env.GITHUB_PATH) issueFileCommand('PATH', dir)
  else issueCommand('add-path', {}, dir)
  process.env.PATH = `${dir}${pathDelimiter}${process.env.PATH ?? ''}`
}

/** The runner masks the value in every later line of the log. */
export function setSecret(secret: string): void {
  issueCommand('add-mask', {}, secret)
}

export function info(message: string): void {
  process.stdout.write(message + EOL)
}

export function debug(message: string): void {
  issueCommand('debug', {}, message)
}

const annotation =
  (command: 'error' | 'warning' | 'notice') =>
  (message: string, where: AnnotationProperties = {}): void => {
    issueCommand(
      command,
      {
        title: where.title,
        file: where.file,
        line: where.startLine,
        endLine: where.endLine,
        col: where.startColumn,
        endColumn: where.endColumn,
      },
      message,
    )
  }

export const error = annotation('error')
export const warning = annotation('warning')
export const notice = annotation('notice')

export function startGroup(title: string): void {
  issueCommand('group', {}, title)
}

export function endGroup(): void {
  issueCommand('endgroup', {}, '')
}

export async function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  startGroup(title)
  try {
    return await fn()
  } finally {
    endGroup()
  }
}

/** Fails the step: an error annotation, and exit code 1 once the process ends. */
export function setFailed(message: string): void {
  process.exitCode = 1
  error(message)
}

/** Appends markdown and a line end to the job summary, as core's summary.addRaw(text, true).write(). */
export async function appendStepSummary(markdown: string): Promise<void> {
  const filePath = process.env.GITHUB_STEP_SUMMARY
  if (!filePath)
    throw new Error(
      'Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.',
    )
  try {
    await access(filePath, constants.R_OK | constants.W_OK)
  } catch {
    throw new Error(
      `Unable to access summary file: '${filePath}'. Check if the file has correct read/write permissions.`,
    )
  }
  await appendFile(filePath, markdown + EOL, { encoding: 'utf8' })
}
