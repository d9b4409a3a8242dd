import { compareManifests } from '../../../../../src/phases/deploy/changes/compare.js'
import { secretRedactor, suppliedSecrets } from '../../../../../src/phases/deploy/changes/supplied.js'

const PASSWORD = 'hunter2-Sup3r/secret+pw'
const OLD_PASSWORD = 'old-pass-w0rd'
const fingerprint = (value: Buffer): string => `fp${value.toString('hex').length}xxxxxxxxxxxx`

describe('suppliedSecrets: what the user gave, not what the chart holds', () => {
  test('leaf strings of 4+ characters, neither chart defaults nor the image the run sets', () => {
    const supplied = {
      db: { password: PASSWORD, port: 5432, host: 'db.internal' },
      replicas: 'two',
      list: [{ token: 'tok-123456' }],
      image: { repository: '123.dkr.ecr/x', tag: 'abc1234' },
    }
    expect(
      suppliedSecrets([supplied, { db: { password: OLD_PASSWORD } }], { db: { host: 'db.internal' } }, [
        '123.dkr.ecr/x',
        'abc1234',
      ]),
    ).toEqual([PASSWORD, OLD_PASSWORD, 'tok-123456'])
  })
})

describe('secretRedactor: the secret in every form', () => {
  const redact = secretRedactor([PASSWORD], fingerprint)
  const b64 = Buffer.from(PASSWORD).toString('base64')
  test.each([
    ['plain', PASSWORD],
    ['inside a URL', `postgres://app:${PASSWORD}@db:5432/app`],
    ['base64', b64],
    ['base64 without padding', b64.replace(/=+$/, '')],
    ['base64url', Buffer.from(PASSWORD).toString('base64url')],
    ['URL-encoded', `https://x/?p=${encodeURIComponent(PASSWORD)}`],
    ['JSON-escaped', JSON.stringify({ p: PASSWORD })],
    ['base64 of a config file holding it', Buffer.from(`[db]\npassword = ${PASSWORD}\n`).toString('base64')],
  ])('%s', (_form, text) => {
    const redacted = redact(text)
    expect(redacted).toContain('<redacted:')
    expect(redacted).not.toContain(PASSWORD)
    expect(redacted).not.toContain(b64.replace(/=+$/, ''))
    expect(redacted).not.toContain(encodeURIComponent(PASSWORD))
  })
  test('other text stays', () => {
    expect(redact('nginx:1.27')).toBe('nginx:1.27')
  })
})

const configMap = (password: string): string => `apiVersion: v1
kind: ConfigMap
metadata:
  name: app
data:
  DATABASE_URL: postgres://app:${password}@db/app
  encoded: ${Buffer.from(password).toString('base64')}
`
const deployment = (password: string): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  annotations:
    checksum/config: ${Buffer.from(password).toString('base64url')}
spec:
  template:
    spec:
      containers:
        - name: app
          env:
            - name: PASSWORD
              value: ${JSON.stringify(password)}
`

describe('compareManifests with supplied secrets', () => {
  test('a ConfigMap and an env var: the change shows, neither value does', () => {
    const { objects } = compareManifests(
      `${configMap(OLD_PASSWORD)}---\n${deployment(OLD_PASSWORD)}`,
      `${configMap(PASSWORD)}---\n${deployment(PASSWORD)}`,
      'shop',
      [PASSWORD, OLD_PASSWORD],
    )
    expect(objects.map((o) => `${o.kind} ${o.change}`)).toEqual(['ConfigMap changed', 'Deployment changed'])
    const text = JSON.stringify(objects)
    for (const secret of [PASSWORD, OLD_PASSWORD]) {
      for (const form of [
        secret,
        Buffer.from(secret).toString('base64').replace(/=+$/, ''),
        Buffer.from(secret).toString('base64url'),
        encodeURIComponent(secret),
      ])
        expect(text).not.toContain(form)
    }
    expect(objects[0]?.diff.join('\n')).toMatch(/^-.*DATABASE_URL: postgres:\/\/app:<redacted:/m)
  })

  test('keys-only: the paths that change, no value at all', () => {
    const { objects } = compareManifests(
      configMap(OLD_PASSWORD),
      configMap(PASSWORD).replace('  encoded', '  added: "x"\n  encoded'),
      'shop',
      [],
      true,
    )
    expect(objects.map((o) => o.diff)).toEqual([['+ data.added', '~ data.DATABASE_URL', '~ data.encoded']])
  })

  test('objects inside a List are compared one by one', () => {
    const list = `apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ConfigMap
    metadata: {name: a}
    data: {x: "1"}
  - apiVersion: v1
    kind: ConfigMapList
    items:
      - apiVersion: v1
        kind: ConfigMap
        metadata: {name: b}
        data: {y: "2"}
`
    const { objects } = compareManifests('', list, 'shop')
    expect(objects.map((o) => `${o.kind} ${o.name} ${o.namespace} ${o.change}`)).toEqual([
      'ConfigMap a shop added',
      'ConfigMap b shop added',
    ])
  })
})
