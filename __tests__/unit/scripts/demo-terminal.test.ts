import { decodeEntities, renderMarkdown } from '../../../scripts/demo/terminal.js'

/** The demo prints the job summary as GitHub renders it (no colours: stdout is not a terminal here). */
describe('renderMarkdown', () => {
  test('a fenced block is shown as code, its text as it is; a mermaid chart is left out', () => {
    const lines = renderMarkdown(
      [
        '#### The step failed in phase `deploy`',
        '',
        '````text',
        'helm: "```" and &#34; stay as they are',
        '````',
        '```mermaid',
        'gantt',
        '```',
        'after',
      ].join('\n'),
    )
    expect(lines).toEqual([
      'The step failed in phase deploy',
      '  │ helm: "```" and &#34; stay as they are',
      'after',
    ])
  })

  test('character references are decoded in text, tables and <pre> blocks; tags are dropped', () => {
    const lines = renderMarkdown(
      [
        '**Container &#34;api&#34; crashed**',
        '| Pod | State |',
        '| --- | --- |',
        '| `api-1` | CrashLoopBackOff &#124; exit 1 |',
        '<details><summary>Log of &#39;api&#39;</summary>',
        '',
        '<pre>line &lt;1&gt;',
        'line &#96;2&#96;</pre>',
        '</details>',
      ].join('\n'),
    )
    expect(lines).toEqual([
      'Container "api" crashed',
      'Pod    State',
      'api-1  CrashLoopBackOff | exit 1',
      "Log of 'api'",
      '  │ line <1>',
      '  │ line `2`',
    ])
  })

  test.each([
    ['&#34;&#x27;&amp;&lt;&gt;', `"'&<>`],
    ['&unknown; &#0; a & b', '&unknown; &#0; a & b'],
  ])('decodeEntities(%s)', (text, shown) => {
    expect(decodeEntities(text)).toBe(shown)
  })
})
