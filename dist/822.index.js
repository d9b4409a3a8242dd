export const id = 822;
export const ids = [822];
export const modules = {

/***/ 6822:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  writeClusterKubeconfig: () => (/* binding */ writeClusterKubeconfig)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-eks/dist-cjs/index.js
var dist_cjs = __webpack_require__(4524);
;// CONCATENATED MODULE: ./src/credentials-file.ts
function encodeCredentialsFile(credentials) {
    const json = {
        Version: 1,
        AccessKeyId: credentials.accessKeyId,
        SecretAccessKey: credentials.secretAccessKey,
        ...(credentials.sessionToken === undefined ? {} : { SessionToken: credentials.sessionToken }),
        ...(credentials.expiration === undefined ? {} : { Expiration: credentials.expiration.toISOString() }),
    };
    return `${JSON.stringify(json)}\n`;
}
/** Throws an Error whose message says what is wrong with the file (never its secret values). */
function decodeCredentialsFile(text) {
    let json;
    try {
        json = JSON.parse(text);
    }
    catch {
        throw new Error('is not JSON');
    }
    const { AccessKeyId, SecretAccessKey, SessionToken, Expiration } = json;
    if (json.Version !== 1 || typeof AccessKeyId !== 'string' || typeof SecretAccessKey !== 'string') {
        throw new Error('lacks Version 1, AccessKeyId or SecretAccessKey');
    }
    const expiration = typeof Expiration === 'string' ? new Date(Expiration) : undefined;
    if (expiration !== undefined && Number.isNaN(expiration.getTime())) {
        throw new Error(`has an Expiration that is not a date: ${Expiration}`);
    }
    return {
        accessKeyId: AccessKeyId,
        secretAccessKey: SecretAccessKey,
        ...(typeof SessionToken === 'string' && SessionToken !== '' ? { sessionToken: SessionToken } : {}),
        ...(expiration === undefined ? {} : { expiration }),
    };
}

// EXTERNAL MODULE: ./src/eks-token.ts
var eks_token = __webpack_require__(7790);
// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
// EXTERNAL MODULE: ./src/kubeconfig.ts
var kubeconfig = __webpack_require__(5180);
// EXTERNAL MODULE: ./src/private-file.ts
var private_file = __webpack_require__(6299);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-sts/dist-cjs/index.js
var client_sts_dist_cjs = __webpack_require__(1695);
;// CONCATENATED MODULE: ./src/phases/kubeconfig-errors.ts


/** The statuses in which the API server answers: UPDATING is a version or config change in flight. */
const USABLE_STATUSES = ['ACTIVE', 'UPDATING'];
const STATUS_HINTS = {
    CREATING: 'The cluster is still being created (10-15 minutes). Run this step after it is ACTIVE, e.g. after `aws eks wait cluster-active --name <cluster>`.',
    PENDING: 'The cluster is pending creation. Run this step after it is ACTIVE.',
    DELETING: 'The cluster is being deleted: check that cluster-name names the cluster you mean to deploy to.',
    FAILED: 'The cluster failed to create or update: see its health issues in the EKS console.',
};
function clusterNotUsable(clusterName, region, status) {
    return new errors/* ActionError */.lZ(`EKS cluster '${clusterName}' in ${region} is ${status}, not ACTIVE: its API server cannot take a deployment.`, { hint: STATUS_HINTS[status] ?? 'Wait until the cluster is ACTIVE and run the step again.' });
}
/**
 * DescribeCluster said ResourceNotFoundException: name what the caller can see in that region
 * (ListClusters, when the role may call it), since a wrong region is the usual cause.
 */
async function clusterNotFound(error, params, eks) {
    const { clusterName, region } = params;
    const fix = `Fix 'cluster-name', or set 'aws-region' to the region the cluster is in.`;
    let seen;
    try {
        const clusters = (await eks.send(new dist_cjs.ListClustersCommand({ maxResults: 100 }))).clusters ?? [];
        seen =
            clusters.length === 0
                ? `The role sees no EKS cluster in ${region}: the cluster is probably in another region or account.`
                : `Clusters the role sees in ${region}: ${clusters.join(', ')}.`;
    }
    catch (listError) {
        seen = `(Could not list the clusters in ${region}: ${(0,errors/* describeAwsError */.Pp)(listError) ?? String(listError)}; eks:ListClusters lets the action name them.)`;
    }
    return new errors/* ActionError */.lZ(`EKS cluster '${clusterName}' was not found in ${region}.`, {
        cause: error,
        hint: `${seen}\n${fix}`,
    });
}
function describeFailed(error, params) {
    const name = error instanceof Error ? error.name : 'Error';
    const hint = name === 'AccessDeniedException'
        ? `The role needs eks:DescribeCluster on arn:aws:eks:${params.region}:<account>:cluster/${params.clusterName}.`
        : 'Check the region, the network path to the EKS API and the role permissions.';
    return new errors/* ActionError */.lZ(`EKS DescribeCluster for '${params.clusterName}' in ${params.region} failed: ${awsFacts(error)}`, { cause: error, hint });
}
function clusterRoleFailed(error, clusterRoleArn) {
    const name = error instanceof Error ? error.name : 'Error';
    const hint = name === 'AccessDenied'
        ? `The first role needs sts:AssumeRole on ${clusterRoleArn}, and the trust policy of ${clusterRoleArn} must allow the first role as principal.`
        : 'Check cluster-role-arn and that STS is reachable.';
    return new errors/* ActionError */.lZ(`STS AssumeRole of cluster-role-arn ${clusterRoleArn} failed: ${awsFacts(error)}`, {
        cause: error,
        hint,
    });
}
/** "Name, HTTP status, request id: message": the cause's facts in the message itself. */
function awsFacts(error) {
    const name = error instanceof Error ? error.name : 'Error';
    return `${(0,errors/* describeAwsError */.Pp)(error) ?? name}: ${error instanceof Error ? error.message : String(error)}`;
}

;// CONCATENATED MODULE: ./src/phases/cluster-role.ts



// STS refuses more than an hour for a role assumed with role credentials ("role chaining").
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
const CLUSTER_ROLE_SECONDS = 3600;
/** cluster-role-arn: STS AssumeRole with the first credentials; the new ones are masked at once. */
async function assumeClusterRole(params, deps) {
    const { clusterRoleArn } = params;
    try {
        const sts = await deps.sts();
        const response = await sts.send(new client_sts_dist_cjs.AssumeRoleCommand({
            RoleArn: clusterRoleArn,
            RoleSessionName: params.roleSessionName,
            DurationSeconds: CLUSTER_ROLE_SECONDS,
        }));
        const c = response.Credentials;
        if (c?.AccessKeyId === undefined || c.SecretAccessKey === undefined || c.SessionToken === undefined) {
            throw new errors/* ActionError */.lZ(`STS AssumeRole of ${clusterRoleArn} answered without credentials.`);
        }
        for (const secret of [c.AccessKeyId, c.SecretAccessKey, c.SessionToken])
            deps.runtime.setSecret(secret);
        deps.runtime.info(`Kubernetes identity: ${response.AssumedRoleUser?.Arn ?? clusterRoleArn}`);
        return {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
            ...(c.Expiration === undefined ? {} : { expiration: c.Expiration }),
        };
    }
    catch (error) {
        throw error instanceof errors/* ActionError */.lZ ? error : clusterRoleFailed(error, clusterRoleArn);
    }
}

;// CONCATENATED MODULE: ./src/phases/kubeconfig.ts










/** Phase kubeconfig: DescribeCluster, then a private kubeconfig whose user signs EKS tokens in Node. */
async function writeClusterKubeconfig(params, deps) {
    const [cluster, clusterRole] = await Promise.all([
        describeUsableCluster(params, deps),
        params.clusterRoleArn === undefined
            ? undefined
            : assumeClusterRole({ ...params, clusterRoleArn: params.clusterRoleArn }, deps),
    ]);
    if (params.auth === 'exec')
        await checkTokenPlugin(params.tokenPlugin);
    const dir = await (0,private_file/* makePrivateDir */.h)(params.runnerTemp, 'eks-kubeconfig-');
    try {
        const user = await kubeconfigUser(params, deps, { dir, clusterRole });
        const file = external_node_path_default().join(dir, 'kubeconfig');
        await (0,private_file/* writePrivateFile */.P)(file, (0,kubeconfig/* renderKubeconfig */.YS)({ ...cluster, clusterName: params.clusterName, user }));
        const { endpoint, arn, version } = cluster;
        return {
            path: file,
            clusterName: params.clusterName,
            endpoint,
            arn,
            version,
            auth: params.auth,
            createdPaths: [dir],
        };
    }
    catch (error) {
        await external_node_fs_.promises.rm(dir, { recursive: true, force: true });
        throw error;
    }
}
async function describeUsableCluster(params, deps) {
    const { clusterName, region } = params;
    let cluster;
    try {
        cluster = (await deps.eks.send(new dist_cjs.DescribeClusterCommand({ name: clusterName }))).cluster;
    }
    catch (error) {
        if (error instanceof Error && error.name === 'ResourceNotFoundException') {
            throw await clusterNotFound(error, params, deps.eks);
        }
        throw describeFailed(error, params);
    }
    const status = cluster?.status ?? 'UNKNOWN';
    if (!USABLE_STATUSES.includes(status))
        throw clusterNotUsable(clusterName, region, status);
    const endpoint = cluster?.endpoint;
    const certificateAuthorityData = cluster?.certificateAuthority?.data;
    if (endpoint === undefined || certificateAuthorityData === undefined) {
        throw new errors/* ActionError */.lZ(`EKS cluster '${clusterName}' in ${region} has no API endpoint or CA data yet.`, {
            hint: 'Wait until the cluster is ACTIVE and run the step again.',
        });
    }
    deps.runtime.info(`Cluster ${clusterName}: ${status}, Kubernetes ${cluster?.version ?? '?'}, endpoint ${endpoint}`);
    return { endpoint, certificateAuthorityData, arn: cluster?.arn ?? '', version: cluster?.version ?? '' };
}
async function kubeconfigUser(params, deps, made) {
    switch (params.auth) {
        case 'exec': {
            if (made.clusterRole === undefined) {
                return { kind: 'exec', command: params.tokenPlugin, region: params.region };
            }
            const credentialsFile = external_node_path_default().join(made.dir, 'cluster-role-credentials.json');
            await (0,private_file/* writePrivateFile */.P)(credentialsFile, encodeCredentialsFile(made.clusterRole));
            return { kind: 'exec', command: params.tokenPlugin, region: params.region, credentialsFile };
        }
        case 'token': {
            const credentials = made.clusterRole ?? params.credentials ?? (await ambientCredentials(deps));
            const { token, expiration } = (0,eks_token/* createEksToken */.vc)({
                credentials,
                region: params.region,
                clusterName: params.clusterName,
                stsEndpoint: params.stsEndpoint,
                now: new Date(deps.runtime.now()),
            });
            deps.runtime.setSecret(token);
            deps.runtime.info(`Static EKS token, valid until ${expiration.toISOString()} (kubeconfig-auth: token).`);
            return { kind: 'token', token };
        }
    }
}
async function ambientCredentials(deps) {
    const credentials = await deps.resolveAmbientCredentials();
    for (const secret of [credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken]) {
        if (secret !== undefined)
            deps.runtime.setSecret(secret);
    }
    return credentials;
}
async function checkTokenPlugin(command) {
    try {
        await external_node_fs_.promises.access(command.scriptPath);
    }
    catch {
        throw new errors/* ActionError */.lZ(`The kubeconfig token plugin is missing: ${command.scriptPath} does not exist.`, {
            hint: "The action's dist/ is incomplete: use a released version of the action, or run `npm run bundle`.",
        });
    }
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
