/**
 * Masking, in one place: secrets are registered with the runner's log masker the moment they exist,
 * and an account id hidden under `mask-aws-account-id` is replaced by *** in every text the action
 * writes itself (messages, outputs it chooses to shorten, the job summary).
 */
export interface Masker {
  setSecret(secret: string): void
}

/** Registers every non-empty value; undefined and '' are skipped (the runner would mask nothing). */
export function maskSecrets(masker: Masker, ...values: readonly (string | undefined)[]): void {
  for (const value of values) if (value !== undefined && value !== '') masker.setSecret(value)
}

/**
 * Values that are secrets by the way they were given (set-string) rather than by what they are: one
 * shorter than this is not registered, since the runner would then mask it everywhere (every `1` of
 * the log); the action never prints such values itself either.
 */
const SHORTEST_MASKED_VALUE = 4

/** Registers every value of SHORTEST_MASKED_VALUE characters or more. */
export function maskGivenValues(masker: Masker, values: readonly string[]): void {
  for (const value of values) if (value.length >= SHORTEST_MASKED_VALUE) masker.setSecret(value)
}

/** The account id of an ARN (`arn:aws:iam::123456789012:role/x` → `123456789012`), or ''. */
export function accountIdOfArn(arn: string): string {
  return arn.split(':')[4] ?? ''
}

/**
 * `text` with the hidden account ids replaced by ***. An empty list hides nothing, so callers pass
 * the ids only when `mask-aws-account-id` is on (see AccountHider).
 */
function hideAccountIds(text: string, accountIds: readonly string[]): string {
  return accountIds.filter((id) => id !== '').reduce((result, id) => result.split(id).join('***'), text)
}

/** Hides the accounts named under mask-aws-account-id, and masks them in the log too. */
export class AccountHider {
  private readonly ids: string[] = []

  constructor(
    private readonly isEnabled: boolean,
    private readonly masker: Masker,
  ) {}

  /** Marks the account of an ARN, or a bare account id, as hidden (and masked) when enabled. */
  add(arnOrAccountId: string | undefined): void {
    if (!this.isEnabled || arnOrAccountId === undefined) return
    const id = arnOrAccountId.startsWith('arn:') ? accountIdOfArn(arnOrAccountId) : arnOrAccountId
    if (id === '' || this.ids.includes(id)) return
    this.ids.push(id)
    this.masker.setSecret(id)
  }

  hide(text: string): string {
    return hideAccountIds(text, this.ids)
  }
}
