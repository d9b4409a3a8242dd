import { isMap, isNode, type Document, type YAMLMap } from 'yaml'
import { quoted, type TextEdit } from './text-edits.js'

/**
 * The edit that adds an annotation to the object's metadata, as the text is written: a line in a block
 * mapping (at its keys' indentation), an entry in a flow mapping (`{...}`, JSON). Undefined when the
 * annotation is already there, or the metadata has a shape this does not edit (an empty or null
 * `annotations:`, an alias).
 */
export function annotationEdit(
  document: Document,
  text: string,
  key: string,
  value: string,
): TextEdit | undefined {
  const metadata = document.get('metadata', true)
  if (!isMap(metadata)) return undefined
  const annotations = metadata.get('annotations', true)
  const annotation = `${quoted(key)}: ${quoted(value)}`
  if (annotations === undefined) return entryEdit(metadata, text, `${quoted('annotations')}: {${annotation}}`)
  if (!isMap(annotations) || annotations.has(key)) return undefined
  return entryEdit(annotations, text, annotation)
}

/** A new first entry of a non-empty mapping. */
function entryEdit(map: YAMLMap, text: string, entry: string): TextEdit | undefined {
  const first = map.items[0]?.key
  const start = isNode(first) ? first.range?.[0] : undefined
  if (start === undefined) return undefined
  if (map.flow === true) return { at: start, length: 0, insert: `${entry}, ` }
  const lineStart = text.lastIndexOf('\n', start - 1) + 1
  const indent = text.slice(lineStart, start)
  if (!/^ *$/.test(indent)) return undefined
  return { at: lineStart, length: 0, insert: `${indent}${entry}\n` }
}
