import { inputProblems, inputsFrom } from '../../fixtures/parsed-inputs.js'

const ROLE = 'arn:aws:iam::123456789012:role/deploy'

describe('role-chaining', () => {
  test.each([
    ['', false],
    ['false', false],
    ['true', true],
  ])("'%s' reads as %s", (value, expected) => {
    expect(inputsFrom({ 'role-to-assume': ROLE, 'role-chaining': value }).auth.isRoleChaining).toBe(expected)
  })

  test('a session over one hour is refused before any call (an STS rule for chained roles)', () => {
    const message = inputProblems({ 'role-chaining': 'true', 'role-duration-seconds': '7200' })
    expect(message).toContain("Input 'role-duration-seconds': is more than 3600: with role-chaining")
    expect(message).toContain("Received: '7200'")
  })

  test('one hour is allowed with role-chaining, more without it', () => {
    expect(
      inputsFrom({ 'role-chaining': 'true', 'role-duration-seconds': '3600' }).auth.roleDurationSeconds,
    ).toBe(3600)
    expect(inputsFrom({ 'role-duration-seconds': '7200' }).auth.roleDurationSeconds).toBe(7200)
  })

  test("not 'true' or 'false': named", () => {
    expect(inputProblems({ 'role-chaining': 'yes' })).toContain("Input 'role-chaining'")
  })
})
