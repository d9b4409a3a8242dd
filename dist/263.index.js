export const id = 263;
export const ids = [263];
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

/***/ 1263:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  loginToEcr: () => (/* binding */ loginToEcr)
});

// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-ecr/dist-cjs/index.js
var dist_cjs = __webpack_require__(8249);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/docker-config.ts
var docker_config = __webpack_require__(7706);
// EXTERNAL MODULE: ./src/private-file.ts
var private_file = __webpack_require__(6299);
;// CONCATENATED MODULE: ./src/docker-config-dir.ts





/**
 * A new Docker config directory of our own under RUNNER_TEMP (0700, config.json 0600), so a
 * shared runner's other jobs keep their logins and the post step can delete ours whole. It starts
 * from the user's config, and links the rest of the user's directory (buildx builders,
 * cli-plugins, contexts) so builders created by an earlier setup-buildx step stay usable.
 */
async function writeDockerConfigDir(params, logins, log) {
    const dir = await (0,private_file/* makePrivateDir */.h)(params.runnerTemp, 'docker-config-');
    try {
        const existing = params.baseDir === undefined ? {} : await readDockerConfig(params.baseDir, log);
        const { config, ...dropped } = (0,docker_config/* mergeDockerConfig */.Rk)(existing, logins);
        if (params.baseDir !== undefined)
            await linkSiblings(params.baseDir, dir, log);
        await (0,private_file/* writePrivateFile */.P)(external_node_path_default().join(dir, 'config.json'), `${JSON.stringify(config, null, '\t')}\n`);
        return { dir, ...dropped };
    }
    catch (error) {
        await external_node_fs_.promises.rm(dir, { recursive: true, force: true });
        throw error;
    }
}
/** The user's config.json, or {} when there is none. Its content is never logged: it may hold credentials. */
async function readDockerConfig(baseDir, log) {
    const file = external_node_path_default().join(baseDir, 'config.json');
    let text;
    try {
        text = await external_node_fs_.promises.readFile(file, 'utf8');
    }
    catch (error) {
        if (error.code === 'ENOENT')
            return {};
        throw new errors/* ActionError */.lZ(`Could not read the existing Docker config ${file}.`, {
            cause: error,
            hint: 'Check DOCKER_CONFIG (or ~/.docker) names a readable directory, or unset DOCKER_CONFIG.',
        });
    }
    try {
        return JSON.parse(text);
    }
    catch {
        // JSON.parse's message quotes the text, which may be a credential: say only where.
        log.warning(`${file} is not valid JSON; the new Docker config starts empty instead of from it.`);
        return {};
    }
}
async function linkSiblings(baseDir, dir, log) {
    let entries;
    try {
        entries = await external_node_fs_.promises.readdir(baseDir, { withFileTypes: true });
    }
    catch {
        return;
    }
    for (const entry of entries) {
        if (entry.name === 'config.json' || entry.name.startsWith('config.json.'))
            continue;
        const target = external_node_path_default().join(baseDir, entry.name);
        try {
            // 'junction' lets Windows link a directory without admin rights; other systems ignore it.
            await external_node_fs_.promises.symlink(target, external_node_path_default().join(dir, entry.name), entry.isDirectory() ? 'junction' : 'file');
        }
        catch (error) {
            log.debug(`Could not link ${target}: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
}

// EXTERNAL MODULE: ./src/ecr-registry.ts
var ecr_registry = __webpack_require__(5745);
// EXTERNAL MODULE: ./src/phases/ecr-errors.ts
var ecr_errors = __webpack_require__(2375);
;// CONCATENATED MODULE: ./src/phases/ecr-login.ts





/**
 * Phase ecr-login: an ECR authorization token per region (valid for every registry of the region
 * the principal may use), written as plain `auths` entries into a
 * Docker config directory of our own, which docker, buildx and helm read through DOCKER_CONFIG.
 * No Docker engine and no command line: the password never leaves this process except into a 0600 file.
 */
async function loginToEcr(params, deps) {
    const requests = (0,ecr_registry/* planTokenRequests */.rd)(params.registries, params.region);
    const tokens = (await Promise.all(requests.map((request) => requestTokens(request, deps)))).flat();
    const written = await writeDockerConfigDir({ runnerTemp: params.runnerTemp, baseDir: params.baseConfigDir }, tokens.map(({ host, token }) => ({ host, auth: token })), deps.runtime);
    const { runtime } = deps;
    for (const { host, expiresAt } of tokens) {
        runtime.info(`Logged in to ${host}${expiresAt === undefined ? '' : ` until ${expiresAt.toISOString()}`}.`);
    }
    runtime.info(`Docker config directory (DOCKER_CONFIG): ${written.dir}`);
    if (written.droppedCredsStore !== undefined) {
        runtime.info(`The existing config's credsStore '${written.droppedCredsStore}' would hide these logins: its registries now use it through credHelpers instead.`);
    }
    if (written.droppedCredHelpers.length > 0) {
        runtime.info(`Replaced the credHelpers entries for ${written.droppedCredHelpers.join(', ')}.`);
    }
    return {
        registries: tokens.map(({ host, expiresAt }) => ({ host, expiresAt })),
        dockerConfigDir: written.dir,
        createdPaths: [written.dir],
    };
}
async function requestTokens(request, deps) {
    const facts = `region ${request.region}${request.hosts.length === 0 ? '' : `, registries ${request.hosts.join(', ')}`}`;
    let data;
    try {
        const ecr = await deps.ecr(request.region);
        data = (await ecr.send(new dist_cjs.GetAuthorizationTokenCommand({}))).authorizationData ?? [];
    }
    catch (error) {
        throw (0,ecr_errors/* explainEcrError */.S)(error, 'GetAuthorizationToken', facts);
    }
    const tokens = data.map((item) => decodeAuthorization(item, deps.runtime));
    const first = tokens[0];
    if (first === undefined) {
        throw new errors/* ActionError */.lZ(`ECR GetAuthorizationToken answered without authorization data (${facts}).`);
    }
    if (request.hosts.length > 0)
        return request.hosts.map((host) => ({ ...first, host }));
    if (first.host === undefined) {
        throw new errors/* ActionError */.lZ(`ECR GetAuthorizationToken answered without a proxy endpoint (${facts}).`);
    }
    return [{ ...first, host: first.host }];
}
/** Masks the token and the password it holds before anything else can see them. */
function decodeAuthorization(data, runtime) {
    const token = data.authorizationToken ?? '';
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const password = colon < 0 ? decoded : decoded.slice(colon + 1);
    runtime.setSecret(token);
    runtime.setSecret(password);
    if (token === '' || colon <= 0 || password === '') {
        throw new errors/* ActionError */.lZ('ECR GetAuthorizationToken answered with a token that is not base64 of user:password.');
    }
    return {
        token,
        host: (0,ecr_registry/* hostOfEndpoint */.BV)(data.proxyEndpoint ?? ''),
        expiresAt: data.expiresAt,
    };
}


/***/ }),

/***/ 6299:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   P: () => (/* binding */ writePrivateFile),
/* harmony export */   h: () => (/* binding */ makePrivateDir)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);


/** A new directory only the runner's user can read (0700), under `parent` (RUNNER_TEMP). */
async function makePrivateDir(parent, prefix) {
    await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.mkdir(parent, { recursive: true });
    const dir = await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.mkdtemp(node_path__WEBPACK_IMPORTED_MODULE_1___default().join(parent, prefix));
    await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.chmod(dir, 0o700);
    return dir;
}
/**
 * Writes a file that holds credentials: mode 0600, never through a symlink (O_NOFOLLOW),
 * replaced atomically so no reader sees it half written.
 */
// O_NOFOLLOW does not exist on Windows.
const noFollow = node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_NOFOLLOW ?? 0;
async function writePrivateFile(file, content) {
    const temporary = `${file}.${process.pid}.tmp`;
    const flags = node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_WRONLY | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_CREAT | node_fs__WEBPACK_IMPORTED_MODULE_0__.constants.O_EXCL | noFollow;
    const handle = await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.open(temporary, flags, 0o600);
    try {
        await handle.writeFile(content);
    }
    finally {
        await handle.close();
    }
    await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.chmod(temporary, 0o600);
    await node_fs__WEBPACK_IMPORTED_MODULE_0__.promises.rename(temporary, file);
}


/***/ })

};
