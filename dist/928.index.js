export const id = 928;
export const ids = [928];
export const modules = {

/***/ 2375:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ explainEcrError)
/* harmony export */ });
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);

const nameOf = (error) => (error instanceof Error ? error.name : '');
/** A failed ECR call as one ActionError: the action, the facts (registry, region, repository), the fix. */
function explainEcrError(error, action, facts) {
    if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ)
        return error;
    const name = nameOf(error);
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    if (name === 'CredentialsProviderError') {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`ECR ${action} (${facts}) has no AWS credentials to sign with.`, {
            cause: error,
            hint: "Give 'role-to-assume' (phase auth), or run aws-actions/configure-aws-credentials or an earlier step of this action with export-credentials before this step.",
        });
    }
    if (name === 'AccessDeniedException' || name === 'AccessDenied') {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`Not authorized to call ecr:${action} (${facts}).`, {
            cause: error,
            hint: `Allow ecr:${action} to the role in its IAM policy${action === 'GetAuthorizationToken' ? ' (Resource: "*")' : ' on the repository'}, and for another account's registry in that repository's policy too.`,
        });
    }
    if (name === 'RepositoryNotFoundException') {
        return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`The ECR repository does not exist (${facts}).`, {
            cause: error,
            hint: "Check 'ecr-repository' (the name only, e.g. shop/api), 'aws-region' and 'registries', or create the repository.",
        });
    }
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`ECR ${action} failed (${facts}): ${detail}`, {
        cause: error,
        hint: 'If this is transient (throttling, a network error), re-run the job; the SDK already retried.',
    });
}


/***/ }),

/***/ 5928:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   checkImage: () => (/* binding */ checkImage),
/* harmony export */   locateRepository: () => (/* binding */ locateRepository)
/* harmony export */ });
/* unused harmony export recentTags */
/* harmony import */ var _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8249);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3916);
/* harmony import */ var _ecr_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(2375);



const POLL_INTERVAL_MS = 5_000;
const RECENT_TAGS = 10;
const MAX_LISTED_PAGES = 5;
/** The image check: DescribeImages for the tag (or digest), polling up to waitSeconds; resolves the digest. */
async function checkImage(params, deps) {
    const { runtime } = deps;
    const ecr = await deps.ecr(params.location.region);
    const started = runtime.now();
    for (;;) {
        const found = await describeImage(ecr, params);
        if (found?.imageDigest !== undefined)
            return reportFound(found, found.imageDigest, params, runtime);
        const waitedMs = runtime.now() - started;
        const remainingMs = params.waitSeconds * 1000 - waitedMs;
        if (remainingMs <= 0)
            throw await explainMissingImage(ecr, params, Math.round(waitedMs / 1000));
        runtime.info(`${imageName(params)} is not in ECR yet; looking again (waited ${Math.round(waitedMs / 1000)} of ${params.waitSeconds} s).`);
        await runtime.sleep(Math.min(deps.pollIntervalMs ?? POLL_INTERVAL_MS, remainingMs));
    }
}
/** Phase deploy without login or check: the repository URI is `<registry>/<repository>`. */
async function locateRepository(params, deps) {
    try {
        const ecr = await deps.ecr(params.location.region);
        const response = await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.DescribeRepositoriesCommand({ repositoryNames: [params.repository], ...registryOf(params) }));
        const uri = response.repositories?.[0]?.repositoryUri;
        if (uri === undefined)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`ECR DescribeRepositories answered without a repository URI.`);
        return uri;
    }
    catch (error) {
        throw (0,_ecr_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .explainEcrError */ .S)(error, 'DescribeRepositories', describeWhere(params));
    }
}
async function describeImage(ecr, params) {
    const imageId = params.digest === undefined ? { imageTag: params.tag } : { imageDigest: params.digest };
    try {
        const response = await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.DescribeImagesCommand({
            repositoryName: params.repository,
            imageIds: [imageId],
            ...registryOf(params),
        }));
        return response.imageDetails?.[0];
    }
    catch (error) {
        if (error instanceof Error && error.name === 'ImageNotFoundException')
            return undefined;
        throw (0,_ecr_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .explainEcrError */ .S)(error, 'DescribeImages', describeWhere(params));
    }
}
function reportFound(found, digest, params, runtime) {
    const pushed = found.imagePushedAt === undefined ? '' : `, pushed ${found.imagePushedAt.toISOString()}`;
    runtime.info(`Found ${imageName(params)} in ECR: ${digest}${pushed}.`);
    if (params.digest !== undefined && !(found.imageTags ?? []).includes(params.tag)) {
        runtime.warning(`The image ${params.digest} does not carry the tag '${params.tag}' (its tags: ${(found.imageTags ?? []).join(', ') || 'none'}); the deploy uses the digest.`);
    }
    return { registryId: found.registryId, digest, pushedAt: found.imagePushedAt };
}
async function explainMissingImage(ecr, params, waitedSeconds) {
    const recent = await listRecentTags(ecr, params);
    const listing = recent === undefined
        ? 'Its recent tags could not be listed.'
        : recent.length === 0
            ? 'The repository has no tagged images.'
            : `Its most recent tags: ${recent.join(', ')}.`;
    return new _errors_js__WEBPACK_IMPORTED_MODULE_0__/* .ActionError */ .lZ(`The image ${imageName(params)} is not in ECR (${describeWhere(params)})${waitedSeconds > 0 ? ` after waiting ${waitedSeconds} s` : ''}. ${listing}`, {
        hint: [
            'Build and push it before deploying (docker/build-push-action with `tags:` set to the `image` output of phase ecr-login),',
            "or let this step wait for a build running in parallel with 'image-wait-seconds',",
            "or check 'image-tag' / 'sha-source' / 'tag-length' name the tag the build pushed ('require-image: false' skips this check).",
        ].join('\n'),
    });
}
async function listRecentTags(ecr, params) {
    const details = [];
    let nextToken;
    try {
        for (let page = 0; page < MAX_LISTED_PAGES; page++) {
            const response = await ecr.send(new _aws_sdk_client_ecr__WEBPACK_IMPORTED_MODULE_2__.DescribeImagesCommand({
                repositoryName: params.repository,
                filter: { tagStatus: 'TAGGED' },
                maxResults: 1000,
                ...registryOf(params),
                ...(nextToken === undefined ? {} : { nextToken }),
            }));
            details.push(...(response.imageDetails ?? []));
            nextToken = response.nextToken;
            if (nextToken === undefined)
                break;
        }
    }
    catch {
        return undefined;
    }
    return recentTags(details, RECENT_TAGS);
}
/** The tags of the most recently pushed images first. Pure. */
function recentTags(details, limit) {
    return [...details]
        .sort((a, b) => (b.imagePushedAt?.getTime() ?? 0) - (a.imagePushedAt?.getTime() ?? 0))
        .flatMap((detail) => detail.imageTags ?? [])
        .slice(0, limit);
}
const registryOf = (params) => params.location.accountId === undefined ? {} : { registryId: params.location.accountId };
const imageName = (params) => `${params.repository}${params.digest === undefined ? `:${params.tag}` : `@${params.digest}`}`;
function describeWhere(params) {
    const { location } = params;
    const registry = location.host ?? location.accountId ?? "the caller's account";
    return `repository ${params.repository}, registry ${registry}, region ${location.region}`;
}


/***/ })

};
