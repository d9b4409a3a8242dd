export const id = 397;
export const ids = [397];
export const modules = {

/***/ 7397:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  accountIdOfRole: () => (/* binding */ accountIdOfRole),
  assumeRoleWithOidc: () => (/* binding */ assumeRoleWithOidc)
});

// UNUSED EXPORTS: isNamed

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var dist_cjs = __webpack_require__(1695);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/oidc.ts

class OidcHttpError extends Error {
    status;
    constructor(status, body) {
        super(`the runner's ID token endpoint answered HTTP ${status}: ${body.slice(0, 200)}`);
        this.status = status;
        this.name = 'OidcHttpError';
    }
}
const MISSING_ID_TOKEN_HINT = `Grant the job permission to request an OIDC token:

  permissions:
    id-token: write   # lets the job fetch an OIDC token for AWS
    contents: read    # the default you lose when you set any permission

In a reusable workflow the caller's job must grant it too (permissions of a called workflow can only be narrowed).
Pull requests from forks never get an ID token (pull_request events from forks run read-only): run this job on push, or on pull_request_target with care.`;
/** Asks the runner for an ID token for `audience` (the same request @actions/core makes, without its inner retries). */
async function fetchIdToken(request, audience, fetchFn) {
    if (request === undefined) {
        throw new errors/* ActionError */.lZ('The job cannot request a GitHub OIDC token: ACTIONS_ID_TOKEN_REQUEST_URL and ACTIONS_ID_TOKEN_REQUEST_TOKEN are not set.', { hint: MISSING_ID_TOKEN_HINT });
    }
    const url = new URL(request.url);
    url.searchParams.set('audience', audience);
    const response = await fetchFn(url, {
        headers: { Authorization: `Bearer ${request.bearer}`, Accept: 'application/json' },
        signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    if (!response.ok)
        throw new OidcHttpError(response.status, body);
    let value;
    try {
        value = JSON.parse(body).value;
    }
    catch {
        value = undefined;
    }
    if (typeof value !== 'string' || value.split('.').length !== 3) {
        throw new errors/* ActionError */.lZ("The runner's ID token endpoint answered without a JWT in `value`.");
    }
    return value;
}
/** The claims of a JWT, without verifying it (STS does that); undefined when it is not a JWT. */
function decodeJwtClaims(jwt) {
    const payload = jwt.split('.')[1];
    if (payload === undefined)
        return undefined;
    try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        return typeof claims === 'object' && claims !== null ? claims : undefined;
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/retry.ts
const DEFAULT_RETRY_POLICY = {
    maxAttempts: 5,
    baseDelayMs: 500,
    maxDelayMs: 8000,
    budgetMs: 30_000,
};
class RetriesExhaustedError extends Error {
    attempts;
    lastError;
    constructor(attempts, lastError) {
        super(`gave up after ${attempts} attempt${attempts > 1 ? 's' : ''}`, { cause: lastError });
        this.attempts = attempts;
        this.lastError = lastError;
        this.name = 'RetriesExhaustedError';
    }
}
async function retry(attempt, options) {
    const policy = options.policy ?? DEFAULT_RETRY_POLICY;
    const random = options.clock.random ?? Math.random;
    const started = options.clock.now();
    for (let attemptNumber = 1;; attemptNumber++) {
        try {
            return await attempt(attemptNumber);
        }
        catch (error) {
            if (!options.isRetryable(error))
                throw error;
            const delayMs = Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attemptNumber - 1)));
            const elapsed = options.clock.now() - started;
            if (attemptNumber >= policy.maxAttempts || elapsed + delayMs > policy.budgetMs) {
                throw new RetriesExhaustedError(attemptNumber, error);
            }
            options.onRetry?.(error, attemptNumber, delayMs);
            await options.clock.sleep(delayMs);
        }
    }
}

;// CONCATENATED MODULE: ./src/phases/auth-errors.ts


const RETRYABLE_STS_ERRORS = new Set([
    'IDPCommunicationError',
    'IDPCommunicationErrorException',
    'Throttling',
    'ThrottlingException',
    'RequestLimitExceeded',
    'TooManyRequestsException',
    'ServiceUnavailable',
    'InternalFailure',
    'RequestTimeout',
    'TimeoutError',
]);
const RETRYABLE_NETWORK_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EPIPE',
    'ENOTFOUND',
    'EAI_AGAIN',
]);
/** Transient: network errors, HTTP 5xx/429, throttling, IDPCommunicationError. Everything else fails at once. */
function isRetryableAuthError(error) {
    if (error instanceof errors/* ActionError */.lZ)
        return false;
    if (error instanceof OidcHttpError)
        return error.status >= 500 || error.status === 429;
    if (!(error instanceof Error))
        return false;
    if (RETRYABLE_STS_ERRORS.has(error.name))
        return true;
    const status = error.$metadata?.httpStatusCode;
    if (status !== undefined)
        return status >= 500 || status === 429;
    return isNetworkError(error);
}
function isNetworkError(error) {
    for (let e = error; e instanceof Error; e = e.cause) {
        const code = e.code;
        if (typeof code === 'string' && RETRYABLE_NETWORK_CODES.has(code))
            return true;
        if (e.name === 'AbortError' ||
            e.name === 'TimeoutError' ||
            (e.name === 'TypeError' && e.message === 'fetch failed'))
            return true;
    }
    return false;
}
const SHOWN_CLAIMS = ['sub', 'aud', 'repository', 'ref', 'environment', 'job_workflow_ref'];
/** AccessDenied: show the token's non-secret claims and a trust-policy condition that matches them. */
function explainAccessDenied(error, params, token) {
    const claims = decodeJwtClaims(token) ?? {};
    const shown = SHOWN_CLAIMS.filter((name) => claims[name] !== undefined).map((name) => `  ${name}: ${JSON.stringify(claims[name])}`);
    const issuer = typeof claims.iss === 'string' ? claims.iss.replace(/^https:\/\//, '') : '<your OIDC provider>';
    const condition = {
        Condition: {
            StringEquals: { [`${issuer}:aud`]: claims.aud ?? params.audience },
            StringLike: { [`${issuer}:sub`]: claims.sub ?? 'repo:<owner>/<repo>:*' },
        },
    };
    return new errors/* ActionError */.lZ(`Not authorized to assume ${params.roleArn} with this workflow's OIDC token (AccessDenied).`, {
        cause: error,
        hint: [
            "The role's trust policy does not accept this token. Its claims (the token itself is never printed):",
            ...shown,
            '',
            `A trust-policy statement (Principal: Federated arn:aws:iam::<account>:oidc-provider/${issuer}, Action: sts:AssumeRoleWithWebIdentity) that matches it:`,
            JSON.stringify(condition, null, 2),
            '',
            "Check too that the identity provider exists in the role's account and that the audience matches the `audience` input.",
        ].join('\n'),
    });
}
/** STS refused the request for a reason retrying cannot fix: say which input or AWS setting to change. */
function explainStsFailure(error, params, token) {
    const name = error instanceof Error ? error.name.replace(/Exception$/, '') : '';
    return new errors/* ActionError */.lZ(`STS AssumeRoleWithWebIdentity for ${params.roleArn} failed: ${describe(error)}`, {
        cause: error,
        hint: stsFailureHint(name, error instanceof Error ? error.message : '', params, token),
    });
}
function stsFailureHint(name, message, params, token) {
    const claims = decodeJwtClaims(token) ?? {};
    const issuer = typeof claims.iss === 'string' ? claims.iss : 'https://token.actions.githubusercontent.com';
    switch (name) {
        case 'InvalidIdentityToken':
            return `STS did not accept the token itself. The role's account needs an IAM OIDC identity provider for ${issuer} whose audiences include '${params.audience}' (the \`audience\` input); STS's message above says which part failed.`;
        case 'ExpiredToken':
            return "The ID token had expired when STS checked it (it lives a few minutes): re-run the job, and check the runner's clock if it happens again.";
        case 'IDPRejectedClaim':
            return "The identity provider rejected the token's claims: check the OIDC provider of the role's account and the role trust policy.";
        case 'MalformedPolicyDocument':
        case 'PackedPolicyTooLarge':
            return 'Check `inline-session-policy` (a JSON IAM policy) and `managed-session-policies` (policy ARNs), or leave them empty.';
        case 'RegionDisabled':
            return 'STS is not activated in the region of `aws-region` for this account: activate it in the IAM account settings, or use another region.';
        case 'ValidationError':
            if (message.includes('DurationSeconds'))
                return `\`role-duration-seconds\` (${params.durationSeconds}) is more than the role's maximum session duration: lower it, or raise MaxSessionDuration on the role.`;
            return 'Check `role-to-assume`, `role-session-name`, `role-duration-seconds` and the session policies against the message above.';
        default:
            return 'Check the role ARN, the OIDC identity provider of the account and the role trust policy.';
    }
}
const TOKEN_ENDPOINT = "the runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL)";
function explainExhausted(error, params, step) {
    const last = error.lastError;
    const where = step === 'token' ? TOKEN_ENDPOINT : 'STS';
    return new errors/* ActionError */.lZ(`Could not assume ${params.roleArn}: ${where} kept failing, ${error.message}. Last error: ${describe(last)}`, {
        cause: last,
        hint: step === 'token'
            ? 'This is usually transient (a GitHub Actions outage or a runner network problem): re-run the job. On a self-hosted runner, check it can reach ACTIONS_ID_TOKEN_REQUEST_URL (proxy settings).'
            : 'This is usually transient (network, throttling, an AWS outage): re-run the job. If it persists, check the runner can reach STS (proxy, VPC endpoint, AWS_ENDPOINT_URL_STS).',
    });
}
/** A failure of the runner's token endpoint that retrying cannot fix (HTTP 4xx, a malformed URL). */
function explainTokenFailure(error) {
    return new errors/* ActionError */.lZ(`Could not get a GitHub OIDC token from ${TOKEN_ENDPOINT}: ${describe(error)}`, {
        cause: error,
        hint: "The runner hands out the token; a 401/403 means the job's request token was refused. Re-run the job; if it persists, check the job's `permissions: id-token: write` and the runner's health.",
    });
}
function describe(error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

;// CONCATENATED MODULE: ./src/phases/auth.ts





/** Phase auth: GitHub OIDC token → STS AssumeRoleWithWebIdentity, a fresh token on every attempt. */
async function assumeRoleWithOidc(params, deps) {
    const { runtime } = deps;
    if (params.idTokenRequest !== undefined)
        runtime.setSecret(params.idTokenRequest.bearer);
    // The role ARN names the account, and every message below quotes the ARN.
    if (params.shouldMaskAccountId)
        runtime.setSecret(accountIdOfRole(params.roleArn));
    // Where the last attempt got to: which request failed, and the token it had by then.
    const last = { step: 'token', token: '' };
    const attempt = async () => {
        last.step = 'token';
        last.token = await fetchIdToken(params.idTokenRequest, params.audience, deps.fetch);
        runtime.setSecret(last.token);
        last.step = 'sts';
        return exchangeToken(params, deps, last.token);
    };
    try {
        return await retry(attempt, {
            isRetryable: isRetryableAuthError,
            clock: runtime,
            ...(deps.retryPolicy === undefined ? {} : { policy: deps.retryPolicy }),
            onRetry: (error, attemptNumber, delayMs) => {
                runtime.warning(`Attempt ${attemptNumber} failed (${String(error)}); retrying in ${delayMs} ms with a fresh ID token.`);
            },
        });
    }
    catch (error) {
        if (error instanceof RetriesExhaustedError)
            throw explainExhausted(error, params, last.step);
        if (error instanceof errors/* ActionError */.lZ)
            throw error;
        if (last.step === 'token')
            throw explainTokenFailure(error);
        if (isNamed(error, 'AccessDenied'))
            throw explainAccessDenied(error, params, last.token);
        throw explainStsFailure(error, params, last.token);
    }
}
async function exchangeToken(params, deps, token) {
    const response = await deps.sts.send(new dist_cjs.AssumeRoleWithWebIdentityCommand({
        RoleArn: params.roleArn,
        RoleSessionName: params.sessionName,
        WebIdentityToken: token,
        DurationSeconds: params.durationSeconds,
        ...(params.inlineSessionPolicy === undefined ? {} : { Policy: params.inlineSessionPolicy }),
        ...(params.managedSessionPolicies.length === 0
            ? {}
            : { PolicyArns: params.managedSessionPolicies.map((arn) => ({ arn })) }),
    }));
    const c = response.Credentials;
    if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
        throw new errors/* ActionError */.lZ('STS AssumeRoleWithWebIdentity answered without credentials.');
    }
    for (const secret of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken])
        deps.runtime.setSecret(secret);
    const assumedRoleArn = response.AssumedRoleUser?.Arn ?? '';
    const accountId = assumedRoleArn.split(':')[4] ?? accountIdOfRole(params.roleArn);
    if (params.shouldMaskAccountId)
        deps.runtime.setSecret(accountId);
    checkAllowedAccount(accountId, params);
    return {
        credentials: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
        },
        accountId,
        assumedRoleArn,
        roleArn: params.roleArn,
        expiration: c.Expiration,
    };
}
function checkAllowedAccount(accountId, params) {
    if (params.allowedAccountIds.length === 0 || params.allowedAccountIds.includes(accountId))
        return;
    throw new errors/* ActionError */.lZ(`The assumed role is in account ${params.shouldMaskAccountId ? '***' : accountId}, which 'allowed-account-ids' does not list (${params.allowedAccountIds.join(', ')}).`, { hint: "Use a role in one of the allowed accounts, or add the account to 'allowed-account-ids'." });
}
/** The account of a role ARN (arn:aws:iam::ACCOUNT:role/NAME). */
function accountIdOfRole(roleArn) {
    return roleArn.split(':')[4] ?? '';
}
function isNamed(error, name) {
    return error instanceof Error && error.name === name;
}


/***/ })

};
