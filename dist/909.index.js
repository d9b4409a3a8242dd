export const id = 909;
export const ids = [909];
export const modules = {

/***/ 6909:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  deployRelease: () => (/* binding */ deployRelease),
  toReleaseSpec: () => (/* reexport */ toReleaseSpec)
});

// EXTERNAL MODULE: ./src/errors.ts
var errors = __webpack_require__(3916);
;// CONCATENATED MODULE: ./src/helm/args.ts

function toReleaseSpec(deploy) {
    const { release, chart } = deploy;
    if (release === undefined || chart === undefined) {
        throw new errors/* ActionError */.lZ("The deploy phase needs the inputs 'release' and 'chart'.");
    }
    return { ...deploy, release, chart };
}
/**
 * Helm's --set parser (pkg/strvals) splits a value at every unescaped comma, turns a leading `{`
 * into a list and treats backslash as its escape character; escaping those three makes the value
 * reach the chart exactly as written.
 */
function escapeSetValue(value) {
    return value.replace(/[\\,]/g, '\\$&').replace(/^\{/, '\\{');
}
/**
 * The image as chart values. A digest goes into the tag value (`<tag>@<digest>`): the common
 * template `{{ .Values.image.repository }}:{{ .Values.image.tag }}` then renders
 * `<repo>:<tag>@sha256:...`, a valid reference that the kubelet pulls by digest.
 */
function imageValues(image, spec) {
    const tag = image.digest === undefined ? image.tag : `${image.tag}@${image.digest}`;
    return [
        { key: spec.imageRepositoryKey, value: image.repository },
        { key: spec.imageTagKey, value: tag },
    ];
}
const pairs = (flag, values) => values.flatMap(({ key, value }) => [flag, `${key}=${escapeSetValue(value)}`]);
/**
 * The value flags, in the order helm merges them: -f files, then --set, then --set-string. The
 * image always goes through --set-string, so a tag such as 1234567 or 1e10 stays a string.
 */
function buildValueArgs(spec, image) {
    return [
        ...spec.valuesFiles.flatMap((file) => ['-f', file]),
        ...pairs('--set', spec.set),
        ...pairs('--set-string', spec.setString),
        ...(image === undefined ? [] : pairs('--set-string', imageValues(image, spec))),
    ];
}
function chartArgs(chart) {
    switch (chart.kind) {
        case 'oci':
            return [chart.ref];
        case 'repo':
            return [chart.name, '--repo', chart.repository];
        case 'path':
            return [chart.path];
    }
}
/**
 * Helm 3 spells automatic rollback --atomic (which turns on --wait). Helm 4 renamed it
 * --rollback-on-failure (--atomic is deprecated) and made --wait a strategy: `watcher` waits for
 * kstatus readiness, and --rollback-on-failure turns it on when no strategy is given.
 */
function safetyArgs(major, spec) {
    if (spec.isDryRun)
        return ['--dry-run=server', '--hide-secret', '--output', 'json'];
    if (major === 3) {
        return [...(spec.isAtomic ? ['--atomic'] : []), ...(spec.shouldWait ? ['--wait'] : [])];
    }
    return [...(spec.isAtomic ? ['--rollback-on-failure'] : []), ...(spec.shouldWait ? ['--wait=watcher'] : [])];
}
/** The whole `helm upgrade --install` argv for the detected helm. Pure; never a shell string. */
function buildHelmArgs(version, spec, image) {
    if (spec.isDryRun && version.major === 3 && version.minor < 13) {
        throw new errors/* ActionError */.lZ(`dry-run needs helm 3.13 or newer (--dry-run=server); this is helm ${version.text}.`, {
            hint: "Set 'helm-version' to a newer release such as v3.17.3 or v4.1.4.",
        });
    }
    return [
        'upgrade',
        '--install',
        spec.release,
        ...chartArgs(spec.chart),
        '--namespace',
        spec.namespace,
        ...(spec.shouldCreateNamespace ? ['--create-namespace'] : []),
        ...(spec.chartVersion === undefined ? [] : ['--version', spec.chartVersion]),
        ...buildValueArgs(spec, image),
        '--history-max',
        String(spec.historyMax),
        '--timeout',
        spec.timeout,
        ...safetyArgs(version.major, spec),
        ...spec.helmArgs,
    ];
}

;// CONCATENATED MODULE: ./src/helm/result.ts
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const result_text = (value) => (typeof value === 'string' ? value : '');
const count = (value) => (typeof value === 'number' && Number.isInteger(value) ? value : 0);
/** Parses `helm status -o json` (Helm 3 and 4 both write `version` and `info.status`). */
function parseReleaseStatus(json) {
    const parsed = JSON.parse(json);
    if (!isObject(parsed) || !isObject(parsed.info))
        return undefined;
    const revision = count(parsed.version);
    if (revision === 0)
        return undefined;
    return { revision, status: result_text(parsed.info.status), description: result_text(parsed.info.description) };
}
/** Parses `helm history -o json`, oldest first. */
function parseHistory(json) {
    const parsed = JSON.parse(json);
    if (!Array.isArray(parsed))
        return [];
    return parsed.filter(isObject).map((entry) => ({
        revision: count(entry.revision),
        status: result_text(entry.status),
        chart: result_text(entry.chart),
        appVersion: result_text(entry.app_version),
        description: result_text(entry.description),
    }));
}
/**
 * History names a chart `<name>-<version>`, and both may hold dashes. A chart version is SemVer 2
 * (a Helm 3 rule), so the name is the longest prefix that leaves a SemVer suffix.
 */
function splitChart(chart) {
    const match = /^(.+)-(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(chart);
    return match?.[1] === undefined || match[2] === undefined
        ? { name: chart, version: '' }
        : { name: match[1], version: match[2] };
}
function describeRelease(status, history) {
    const entry = history.find((item) => item.revision === status.revision);
    const chart = splitChart(entry?.chart ?? '');
    return {
        ...status,
        chartName: chart.name,
        chartVersion: chart.version,
        appVersion: entry?.appVersion ?? '',
    };
}
/**
 * Helm's automatic rollback (Helm 3 --atomic, Helm 4 --rollback-on-failure) records a new
 * revision described "Rollback to <n>" after the failed one.
 */
function isRolledBack(state, previousRevision) {
    if (state === undefined)
        return false;
    return state.revision > (previousRevision ?? 0) && /^Rollback to \d+/.test(state.description);
}
/** The newest revision that was deployed successfully: the one to roll back to by hand. */
function lastGoodRevision(history) {
    return [...history].reverse().find((entry) => ['deployed', 'superseded'].includes(entry.status))?.revision;
}

;// CONCATENATED MODULE: ./src/helm/forbidden.ts

// The API server's Forbidden status message, which helm passes on:
// `namespaces is forbidden: User "x" cannot create resource "namespaces" in API group "" at the cluster scope`
const FORBIDDEN = /is forbidden: User "([^"]*)" cannot (\w+) resource "([^"]*)"(?: in API group "[^"]*")?(?: in the namespace "([^"]*)")?/;
/** The first RBAC refusal helm printed, if that is why it failed. */
function findRefusal(stderr) {
    const match = FORBIDDEN.exec(stderr);
    if (match === null)
        return undefined;
    return { user: match[1] ?? '', verb: match[2] ?? '', resource: match[3] ?? '', namespace: match[4] };
}
// https://docs.aws.amazon.com/eks/latest/userguide/access-policies.html
const POLICY = 'arn:aws:eks::aws:cluster-access-policy';
/**
 * The step's error for a 403: the cluster knows the principal (it has an access entry or an
 * aws-auth mapping) but its Kubernetes permissions do not cover what the release needs.
 */
function explainForbidden(params) {
    const { cluster, namespace, refusal } = params;
    const who = cluster?.roleArn === undefined ? 'The identity of the kubeconfig' : `IAM role ${cluster.roleArn}`;
    const where = refusal.namespace === undefined ? 'at the cluster scope' : `in namespace ${refusal.namespace}`;
    const principal = cluster?.roleArn ?? '<principal-arn>';
    const target = cluster === undefined ? '' : ` --cluster-name ${cluster.clusterName} --region ${cluster.region}`;
    const hint = [
        `The principal is authenticated but not authorized: its EKS access policy (or the RBAC bindings of its Kubernetes groups) does not allow "${refusal.verb}" on "${refusal.resource}" ${where}.`,
        `Give it a policy that covers the release, e.g. for the namespace only:`,
        `  aws eks associate-access-policy${target} --principal-arn ${principal} \\`,
        `    --policy-arn ${POLICY}/AmazonEKSEditPolicy --access-scope type=namespace,namespaces=${namespace}`,
        `or ${POLICY}/AmazonEKSClusterAdminPolicy with --access-scope type=cluster.`,
    ];
    if (refusal.resource === 'namespaces' && refusal.namespace === undefined) {
        hint.push(`Creating a namespace needs cluster-scope rights: with namespace-scoped access, create ${namespace} beforehand and set create-namespace: false.`);
    }
    return new errors/* ActionError */.lZ(`${who} reached the cluster as Kubernetes user "${refusal.user}", but RBAC forbids it to ${refusal.verb} ${refusal.resource} ${where} (HTTP 403 Forbidden). helm said: ${params.helmError}`, { hint: hint.join('\n') });
}

;// CONCATENATED MODULE: ./src/helm/unauthorized.ts

// An HTTP 401 from the API server, as helm and kubectl print it: client-go's text for a 401 without
// a Status body (helm 3 "Kubernetes cluster unreachable: ...", helm 4 lower-cases the prefix),
// kubectl's, and a 401 Status whose message is only "Unauthorized". A registry's "401 Unauthorized"
// (an OCI chart pull) is not one of these.
const UNAUTHORIZED = [
    /the server has asked for the client to provide credentials/,
    /You must be logged in to the server/,
    /(?:^|: )Unauthorized\s*$/m,
];
/** Whether helm failed because the Kubernetes API server refused its credentials (HTTP 401). */
function isUnauthorized(stderr) {
    return UNAUTHORIZED.some((pattern) => pattern.test(stderr));
}
// https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html and access-policies.html
const unauthorized_POLICY = 'arn:aws:eks::aws:cluster-access-policy';
function accessEntryHint(cluster, principalArn, namespace) {
    const where = `--cluster-name ${cluster.clusterName} --region ${cluster.region} --principal-arn ${principalArn}`;
    return [
        'EKS lets an IAM principal into the cluster only through an access entry. With credentials that administer the cluster, run once:',
        `  aws eks create-access-entry ${where}`,
        `  aws eks associate-access-policy ${where} \\`,
        `    --policy-arn ${unauthorized_POLICY}/AmazonEKSClusterAdminPolicy --access-scope type=cluster`,
        `To allow only the release's namespace, associate ${unauthorized_POLICY}/AmazonEKSAdminPolicy with --access-scope type=namespace,namespaces=${namespace} instead (then create the namespace beforehand and set create-namespace: false).`,
        "On an older cluster whose authentication mode is CONFIG_MAP (no access entries), map the role in the aws-auth ConfigMap of kube-system (mapRoles: rolearn, username, groups), or switch the cluster's authentication mode to API_AND_CONFIG_MAP.",
    ].join('\n');
}
/**
 * The step's error for a 401: which cluster refused which IAM principal, and the access entry that
 * lets it in. EKS answers 401 for a valid token whose principal it does not map to a Kubernetes user.
 */
function explainUnauthorized(params) {
    const { cluster, namespace, helmError } = params;
    if (cluster === undefined) {
        return new errors/* ActionError */.lZ(`The Kubernetes API server refused the credentials of the job's KUBECONFIG (HTTP 401 Unauthorized). helm said: ${helmError}`, {
            hint: [
                "The kubeconfig's user is not accepted: an expired token, or an identity the cluster does not know.",
                "For EKS, set 'cluster-name' so this action writes the kubeconfig and names the IAM principal; that principal needs an EKS access entry (aws eks create-access-entry and aws eks associate-access-policy).",
            ].join('\n'),
        });
    }
    const { roleArn } = cluster;
    const who = roleArn === undefined ? "the IAM principal of the job's AWS credentials" : `IAM role ${roleArn}`;
    const message = `EKS cluster ${cluster.clusterName} refused ${who} (HTTP 401 Unauthorized): the cluster did not accept it as a Kubernetes user, most likely because it has no EKS access entry. helm said: ${helmError}`;
    const hint = roleArn === undefined
        ? [
            accessEntryHint(cluster, '<principal-arn>', namespace),
            '`aws sts get-caller-identity` names the principal; for an assumed role, give the role ARN arn:aws:iam::<account>:role/<name>, not the assumed-role session ARN it prints.',
        ].join('\n')
        : [
            accessEntryHint(cluster, roleArn, namespace),
            'The access entry takes the role ARN as above, not the assumed-role session ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>).',
        ].join('\n');
    return new errors/* ActionError */.lZ(message, { hint });
}

;// CONCATENATED MODULE: ./src/helm/failure.ts




// Helm's errors for a release whose latest revision is pending-install/-upgrade/-rollback.
const ANOTHER_OPERATION = /another operation \(install\/upgrade\/rollback\) is in progress/;
// Helm's upgrade command prints this when SIGINT/SIGTERM cancels its context.
const CANCELLED = /has been cancelled\./;
// Helm 3 (--atomic) and Helm 4 (--rollback-on-failure) uninstall a failed first install.
const UNINSTALLED = /has been uninstalled due to/;
/** The error helm printed last (`Error: ...` and the lines after it), else its last stderr line. */
function lastHelmError(stderr) {
    const lines = stderr.split(/\r?\n/).filter((line) => line.trim() !== '');
    const start = lines.findLastIndex((line) => line.startsWith('Error:'));
    const picked = start === -1 ? lines.slice(-1) : lines.slice(start, start + 4);
    const message = picked.join(' ').replace(/^Error:\s*/, '');
    return message === '' ? '(helm printed no error)' : message.slice(0, 800);
}
/** Whether a failed first install was removed again by helm's automatic rollback. */
function wasInstallUninstalled(stderr) {
    return UNINSTALLED.test(stderr);
}
function describeOutcome(failure) {
    const { state } = failure;
    if (failure.isRolledBack && state !== undefined) {
        return `The release was rolled back: revision ${state.revision} ("${state.description}") is deployed.`;
    }
    if (state === undefined) {
        return wasInstallUninstalled(failure.stderr)
            ? 'The failed first install was removed again (automatic rollback).'
            : 'The release does not exist.';
    }
    return `The release is at revision ${state.revision}, status ${state.status}.`;
}
function explainStuck(failure) {
    const { release, namespace, state } = failure;
    const good = lastGoodRevision(failure.history);
    const fix = good === undefined
        ? `helm uninstall ${release} -n ${namespace}   # no revision was ever deployed`
        : `helm rollback ${release} ${good} -n ${namespace}   # back to the last deployed revision`;
    const pending = state === undefined ? '' : ` (revision ${state.revision} is ${state.status})`;
    return new errors/* ActionError */.lZ(`helm refused to upgrade release ${release} in namespace ${namespace}: another operation (install/upgrade/rollback) is in progress${pending}.`, {
        hint: [
            'A release stays pending when helm was killed mid-operation (a cancelled or timed-out job), or while another job deploys it.',
            'Give deploying jobs a `concurrency:` group so that two never overlap. When nothing else is deploying it, run:',
            `  helm history ${release} -n ${namespace}`,
            `  ${fix}`,
            'and re-run this job.',
        ].join('\n'),
    });
}
/** Turns a failed `helm upgrade --install` into the step's error: what happened, and what to do. */
function explainUpgradeFailure(failure) {
    const { release, namespace } = failure;
    const error = lastHelmError(failure.stderr);
    if (isUnauthorized(failure.stderr)) {
        return explainUnauthorized({ cluster: failure.cluster, namespace, helmError: error });
    }
    const refusal = findRefusal(failure.stderr);
    if (refusal !== undefined) {
        return explainForbidden({ cluster: failure.cluster, namespace, refusal, helmError: error });
    }
    if (ANOTHER_OPERATION.test(failure.stderr))
        return explainStuck(failure);
    const outcome = describeOutcome(failure);
    if (CANCELLED.test(failure.stdout)) {
        return new errors/* ActionError */.lZ(`The deploy of release ${release} in namespace ${namespace} was cancelled; helm got the signal and finished cleanly. ${outcome}`);
    }
    return new errors/* ActionError */.lZ(`helm upgrade --install of release ${release} in namespace ${namespace} failed (exit code ${failure.exitCode}): ${error}\n${outcome}`, {
        hint: [
            "helm's output is in the log group above. To look closer:",
            `  helm history ${release} -n ${namespace}`,
            `  kubectl get events -n ${namespace} --sort-by=.lastTimestamp`,
            "A timeout while waiting for readiness usually means pods that never became ready (image, probes, resources); raise 'timeout' only when they are just slow.",
        ].join('\n'),
    });
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
var external_node_path_default = /*#__PURE__*/__webpack_require__.n(external_node_path_);
;// CONCATENATED MODULE: ./src/helm/download.ts

const OS_NAMES = {
    linux: 'linux',
    darwin: 'darwin',
    win32: 'windows',
};
const ARCH_NAMES = { x64: 'amd64', arm64: 'arm64' };
/** Maps Node's process.platform/process.arch to helm's archive naming. */
function helmPlatform(nodePlatform, nodeArch) {
    const os = OS_NAMES[nodePlatform];
    const arch = ARCH_NAMES[nodeArch];
    if (os === undefined || arch === undefined) {
        throw new errors/* ActionError */.lZ(`No helm download for this runner (${nodePlatform}/${nodeArch}): the action installs helm on Linux, macOS and Windows, amd64 and arm64.`, { hint: 'Install helm in an earlier step and set `helm-version: system` to use the helm on the PATH.' });
    }
    return os === 'windows'
        ? { os, arch, archive: 'zip', binary: 'helm.exe' }
        : { os, arch, archive: 'tar.gz', binary: 'helm' };
}
/** helm.sh publishes `<archive>.sha256sum` (`<hex>  <archive name>`) beside every archive. */
function helmDownload(mirror, version, platform) {
    const innerDir = `${platform.os}-${platform.arch}`;
    const archiveName = `helm-${version}-${innerDir}.${platform.archive}`;
    const archiveUrl = `${mirror.replace(/\/+$/, '')}/${archiveName}`;
    return { archiveName, archiveUrl, checksumUrl: `${archiveUrl}.sha256sum`, innerDir };
}
/**
 * The SHA-256 in a checksum file: `<hex>  <name>` (sha256sum's format, `*<name>` in binary mode)
 * or a bare `<hex>`. A file naming another archive is refused rather than trusted.
 */
function parseChecksumFile(text, download) {
    const match = /^\s*([0-9a-fA-F]{64})(?:\s+\*?(\S+))?\s*$/m.exec(text);
    const hex = match?.[1];
    if (hex === undefined) {
        throw new errors/* ActionError */.lZ(`${download.checksumUrl} does not hold a SHA-256 checksum.`, {
            hint: `The mirror must serve ${download.archiveName}.sha256sum as helm.sh does: "<64 hex digits>  ${download.archiveName}".`,
        });
    }
    const named = match?.[2];
    if (named !== undefined && named !== download.archiveName) {
        throw new errors/* ActionError */.lZ(`${download.checksumUrl} is the checksum of ${named}, not of ${download.archiveName}.`, { hint: 'The mirror serves a wrong checksum file; fix the mirror (helm-mirror input).' });
    }
    return hex.toLowerCase();
}

;// CONCATENATED MODULE: ./src/helm/install.ts





const TOOL_NAME = 'helm';
/**
 * helm through the runner's tool cache: the cached copy when present, otherwise the release
 * archive from the mirror, checked against its .sha256sum BEFORE anything is extracted.
 * Any failure fails the step: there is no fallback to another version or source.
 */
async function installHelm(params, deps) {
    const { runtime } = deps;
    const platform = helmPlatform(params.os, params.arch);
    const cached = await runtime.toolCache.find(TOOL_NAME, params.version, params.arch);
    if (cached !== '') {
        runtime.info(`helm ${params.version} found in the tool cache: ${cached}`);
        runtime.addPath(cached);
        return { binary: external_node_path_default().join(cached, platform.binary), isFromCache: true };
    }
    const download = helmDownload(params.mirror, params.version, platform);
    const archive = await downloadVerified(download, params, deps);
    try {
        const extracted = await runtime.toolCache.extract(archive, platform.archive);
        const dir = await runtime.toolCache.cacheDir(external_node_path_default().join(extracted, download.innerDir), TOOL_NAME, params.version, params.arch);
        runtime.addPath(dir);
        return { binary: external_node_path_default().join(dir, platform.binary), isFromCache: false };
    }
    finally {
        await external_node_fs_.promises.rm(archive, { force: true });
    }
}
async function downloadVerified(download, params, deps) {
    const { runtime } = deps;
    const checksumFile = await fetchFile(download.checksumUrl, download, params, runtime);
    const expected = parseChecksumFile(await external_node_fs_.promises.readFile(checksumFile, 'utf8'), download);
    await external_node_fs_.promises.rm(checksumFile, { force: true });
    runtime.info(`Downloading ${download.archiveUrl}`);
    const archive = await fetchFile(download.archiveUrl, download, params, runtime);
    const actual = await (deps.sha256File ?? sha256File)(archive);
    if (actual !== expected) {
        await external_node_fs_.promises.rm(archive, { force: true });
        throw new errors/* ActionError */.lZ(`Refusing to install helm ${params.version}: the SHA-256 of ${download.archiveUrl} is ${actual}, but ${download.checksumUrl} says ${expected}.`, {
            hint: `The download is corrupt or was altered on the way. Re-run the job; if it fails again, compare the mirror (helm-mirror: ${params.mirror}) with the checksums published at https://github.com/helm/helm/releases/tag/${params.version}.`,
        });
    }
    runtime.info(`Verified SHA-256 ${actual} of ${download.archiveName}`);
    return archive;
}
async function fetchFile(url, download, params, runtime) {
    try {
        return await runtime.toolCache.download(url);
    }
    catch (error) {
        throw new errors/* ActionError */.lZ(`Could not download ${url} to install helm ${params.version}.`, {
            cause: error,
            hint: `Check that ${params.version} is a published Helm release (https://github.com/helm/helm/releases) and that helm-mirror (${params.mirror}) serves ${download.archiveName} and ${download.archiveName}.sha256sum. Or install helm in an earlier step and set \`helm-version: system\`.`,
        });
    }
}
function sha256File(file) {
    return new Promise((resolve, reject) => {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        (0,external_node_fs_.createReadStream)(file)
            .on('error', reject)
            .on('data', (chunk) => hash.update(chunk))
            .on('end', () => {
            resolve(hash.digest('hex'));
        });
    });
}

;// CONCATENATED MODULE: ./src/helm/version.ts
const VERSION_PATTERN = /v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?/;
/**
 * Reads the version out of `helm version --template {{.Version}}` (`v4.1.4`), `--short`
 * (`v3.17.3+ge4da497`) or the full `version.BuildInfo{Version:"v3.2.1", ...}` line.
 */
function parseHelmVersion(output) {
    const match = VERSION_PATTERN.exec(output);
    if (match?.[1] === undefined || match[2] === undefined || match[3] === undefined)
        return undefined;
    const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
    return { text: `v${major}.${minor}.${patch}${match[4] ?? ''}`, major, minor, patch };
}

;// CONCATENATED MODULE: ./src/helm/cli.ts






/** Installs the requested helm (or takes the one on the PATH) and asks it its version. */
async function setUpHelm(setup, env, runtime) {
    const { helmVersion } = setup;
    const binary = helmVersion.kind === 'system'
        ? 'helm'
        : (await installHelm({ version: helmVersion.version, mirror: setup.helmMirror, os: setup.os, arch: setup.arch }, { runtime })).binary;
    const version = await askVersion(binary, helmVersion, env, runtime);
    if (helmVersion.kind === 'release' && version.text !== helmVersion.version) {
        throw new errors/* ActionError */.lZ(`helm-version asks for ${helmVersion.version}, but the installed helm reports ${version.text}.`, { hint: 'The mirror serves another release under that name; fix the mirror (helm-mirror input).' });
    }
    runtime.info(`Using helm ${version.text} (${binary})`);
    return { binary, version, env, runtime };
}
async function askVersion(binary, helmVersion, env, runtime) {
    const result = await runtime
        .exec(binary, ['version', '--template', '{{.Version}}'], { env, shouldStream: false })
        .catch((error) => {
        throw new errors/* ActionError */.lZ(`Could not run ${binary}.`, {
            cause: error,
            hint: helmVersion.kind === 'system'
                ? '`helm-version: system` needs helm on the PATH: install it in an earlier step, or give a release such as v4.1.4.'
                : 'The installed helm does not run on this runner; check the helm-mirror archive.',
        });
    });
    const version = parseHelmVersion(result.stdout);
    if (result.exitCode !== 0 || version === undefined || version.major < 3) {
        throw new errors/* ActionError */.lZ(`${binary} version answered ${JSON.stringify(result.stdout.trim() || lastHelmError(result.stderr))} (exit code ${result.exitCode}): this action drives Helm 3 and Helm 4.`, { hint: "Set 'helm-version' to a Helm 3 or Helm 4 release such as v4.1.4." });
    }
    return version;
}
/** A read-only helm command: not streamed to the log. */
function queryHelm(cli, args) {
    return cli.runtime.exec(cli.binary, args, { env: cli.env, shouldStream: false });
}
const isNotFound = (result) => /release: not found/.test(result.stderr);
// A refused login (HTTP 401) is not warned about: the deploy fails with its own explanation.
function warnUnreadable(cli, what, result) {
    if (isNotFound(result) || isUnauthorized(result.stderr))
        return;
    cli.runtime.warning(`Could not read the ${what}: ${lastHelmError(result.stderr)}`);
}
async function readStatus(cli, release, namespace) {
    const result = await queryHelm(cli, ['status', release, '--namespace', namespace, '--output', 'json']);
    if (result.exitCode === 0)
        return parseReleaseStatus(result.stdout);
    warnUnreadable(cli, `status of release ${release}`, result);
    return undefined;
}
async function readHistory(cli, release, namespace, max) {
    const args = ['history', release, '--namespace', namespace, '--max', String(max), '--output', 'json'];
    const result = await queryHelm(cli, args);
    if (result.exitCode === 0)
        return { entries: parseHistory(result.stdout), refusal: undefined };
    warnUnreadable(cli, `history of release ${release}`, result);
    const refusal = isUnauthorized(result.stderr) ? lastHelmError(result.stderr) : undefined;
    return { entries: [], refusal };
}
/** The deployed release's user-supplied values and manifest (empty when it does not exist). */
async function readDeployed(cli, release, namespace) {
    const [values, manifest] = await Promise.all([
        queryHelm(cli, ['get', 'values', release, '--namespace', namespace, '--output', 'json']),
        queryHelm(cli, ['get', 'manifest', release, '--namespace', namespace]),
    ]);
    return {
        values: values.exitCode === 0 ? JSON.parse(values.stdout) : {},
        manifest: manifest.exitCode === 0 ? manifest.stdout : '',
    };
}

;// CONCATENATED MODULE: ./src/helm/dry-run.ts
const dry_run_isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);
const dry_run_text = (value) => (typeof value === 'string' ? value : '');
function parseDryRun(json) {
    const parsed = JSON.parse(json);
    const release = dry_run_isObject(parsed) ? parsed : {};
    const info = dry_run_isObject(release.info) ? release.info : {};
    const chart = dry_run_isObject(release.chart) && dry_run_isObject(release.chart.metadata) ? release.chart.metadata : {};
    return {
        state: {
            revision: typeof release.version === 'number' ? release.version : 0,
            status: dry_run_text(info.status),
            description: dry_run_text(info.description),
            chartName: dry_run_text(chart.name),
            chartVersion: dry_run_text(chart.version),
            appVersion: dry_run_text(chart.appVersion),
        },
        values: release.config ?? {},
        manifest: dry_run_text(release.manifest),
    };
}
/** Leaf values by dotted path (`image.tag`), each as JSON so that 1 and "1" differ. */
function flattenValues(value, prefix = '') {
    const flat = new Map();
    if (dry_run_isObject(value) && Object.keys(value).length > 0) {
        for (const [key, child] of Object.entries(value)) {
            for (const [path, leaf] of flattenValues(child, prefix === '' ? key : `${prefix}.${key}`))
                flat.set(path, leaf);
        }
    }
    else if (prefix !== '') {
        flat.set(prefix, JSON.stringify(value));
    }
    return flat;
}
/** The user-supplied values that the upgrade would add (+), remove (-) or change (~). */
function diffValues(before, after) {
    const [old, next] = [flattenValues(before), flattenValues(after)];
    const lines = [];
    for (const key of [...new Set([...old.keys(), ...next.keys()])].sort()) {
        const [a, b] = [old.get(key), next.get(key)];
        if (a === b)
            continue;
        if (a === undefined)
            lines.push(`+ ${key}: ${b ?? ''}`);
        else if (b === undefined)
            lines.push(`- ${key}: ${a}`);
        else
            lines.push(`~ ${key}: ${a} -> ${b}`);
    }
    return lines;
}
/**
 * The manifest's documents by kind/name. Secrets are left out on both sides: --hide-secret drops
 * them from the rendered manifest, and the deployed one must not be printed.
 */
function splitManifest(manifest) {
    const documents = new Map();
    for (const document of manifest.split(/^---\s*$/m)) {
        const kind = /^kind:\s*(\S+)/m.exec(document)?.[1];
        const name = /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*"?([^"\s]+)/m.exec(document)?.[1];
        if (kind === undefined || kind === 'Secret')
            continue;
        documents.set(`${kind}/${name ?? '?'}`, document.trim());
    }
    return documents;
}
/** A line diff (longest common subsequence): changed lines only, `-` old and `+` new. */
function diffLines(before, after) {
    const [n, m] = [before.length, after.length];
    if (n * m > 4_000_000)
        return ['  (too large to compare line by line)'];
    const lcs = new Uint32Array((n + 1) * (m + 1));
    const at = (i, j) => lcs[i * (m + 1) + j] ?? 0;
    for (let i = n - 1; i >= 0; i--)
        for (let j = m - 1; j >= 0; j--)
            lcs[i * (m + 1) + j] =
                before[i] === after[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    const lines = [];
    let [i, j] = [0, 0];
    while (i < n || j < m) {
        if (i < n && j < m && before[i] === after[j])
            [i, j] = [i + 1, j + 1];
        else if (i < n && (j === m || at(i + 1, j) >= at(i, j + 1)))
            lines.push(`- ${before[i++] ?? ''}`);
        else
            lines.push(`+ ${after[j++] ?? ''}`);
    }
    return lines;
}
/** Per resource: added, removed, or the lines that change. */
function diffManifests(before, after) {
    const [old, next] = [splitManifest(before), splitManifest(after)];
    const lines = [];
    for (const key of [...new Set([...old.keys(), ...next.keys()])].sort()) {
        const [a, b] = [old.get(key), next.get(key)];
        if (a === b)
            continue;
        if (a === undefined)
            lines.push(`+ ${key} (new)`);
        else if (b === undefined)
            lines.push(`- ${key} (removed)`);
        else
            lines.push(`~ ${key}`, ...diffLines(a.split('\n'), b.split('\n')).map((line) => `    ${line}`));
    }
    return lines;
}

;// CONCATENATED MODULE: ./src/helm/env.ts
// Runner secrets helm has no use for; INPUT_* may hold values the user marked secret.
const DROPPED = /^(INPUT_|ACTIONS_ID_TOKEN_REQUEST_|ACTIONS_RUNTIME_TOKEN$)/;
/** The complete environment of the helm child process (it replaces, not extends, process.env). */
function buildHelmEnv(params) {
    const env = {};
    for (const [name, value] of Object.entries(params.jobEnv)) {
        if (value !== undefined && !DROPPED.test(name))
            env[name] = value;
    }
    Object.assign(env, params.extraEnv);
    if (params.kubeconfigPath !== undefined)
        env.KUBECONFIG = params.kubeconfigPath;
    if (params.dockerConfigDir !== undefined)
        env.DOCKER_CONFIG = params.dockerConfigDir;
    return env;
}

;// CONCATENATED MODULE: ./src/phases/deploy.ts








// Enough history to find the last good revision behind a few failed ones.
const HISTORY_DEPTH = 20;
/** Phase deploy: helm from the tool cache, then `helm upgrade --install` with automatic rollback. */
async function deployRelease(params, deps) {
    const { runtime } = deps;
    const { spec } = params;
    const label = params.helmVersion.kind === 'system' ? 'from the PATH' : params.helmVersion.version;
    const helm = await runtime.group(`Set up helm ${label}`, () => setUpHelm(params, buildHelmEnv(params), runtime));
    const args = buildHelmArgs(helm.version, spec, params.image);
    if (spec.isAtomic && !spec.shouldWait && !spec.isDryRun) {
        runtime.warning('atomic: true waits for readiness even with wait: false (Helm 3 --atomic implies --wait; Helm 4 --rollback-on-failure defaults --wait to watcher).');
    }
    const base = { helmVersion: helm.version.text, release: spec.release, namespace: spec.namespace };
    const before = await readHistory(helm, spec.release, spec.namespace, 1);
    if (before.refusal !== undefined)
        return refusedByCluster(params, base, before.refusal);
    const previousRevision = before.entries.at(-1)?.revision;
    const run = await runUpgrade(helm, params, args);
    if (spec.isDryRun && run.exitCode === 0) {
        const state = await reportDryRun(helm, spec, run.stdout);
        return { ...base, isDryRun: true, state, previousRevision, isRolledBack: false, failure: undefined };
    }
    return {
        ...base,
        isDryRun: spec.isDryRun,
        previousRevision,
        ...(await readOutcome(helm, params, run, previousRevision)),
    };
}
/** The cluster refused helm's credentials (HTTP 401): the upgrade would fail the same way, so it does not run. */
function refusedByCluster(params, base, helmError) {
    const { spec } = params;
    return {
        ...base,
        isDryRun: spec.isDryRun,
        state: undefined,
        previousRevision: undefined,
        isRolledBack: false,
        failure: explainUnauthorized({ cluster: params.cluster, namespace: spec.namespace, helmError }),
    };
}
function runUpgrade(helm, params, args) {
    const { spec, image } = params;
    const { runtime } = helm;
    const title = `helm upgrade --install ${spec.release} (namespace ${spec.namespace}${spec.isDryRun ? ', dry run' : ''})`;
    return runtime.group(title, () => {
        if (image !== undefined) {
            const ref = `${image.repository}:${image.tag}${image.digest === undefined ? '' : `@${image.digest}`}`;
            runtime.info(`Image ${ref} (values ${spec.imageRepositoryKey} and ${spec.imageTagKey})`);
        }
        runtime.debug(`${helm.binary} ${args.join(' ')}`);
        // Forwarding the runner's SIGINT/SIGTERM lets helm cancel and roll back instead of leaving
        // the release in pending-upgrade (helm's upgrade command handles both signals).
        return runtime.exec(helm.binary, args, {
            env: helm.env,
            shouldForwardSignals: true,
            shouldStream: !spec.isDryRun,
        });
    });
}
async function readOutcome(helm, params, run, previousRevision) {
    const { spec } = params;
    const status = await readStatus(helm, spec.release, spec.namespace);
    const history = status === undefined ? [] : (await readHistory(helm, spec.release, spec.namespace, HISTORY_DEPTH)).entries;
    const state = status === undefined ? undefined : describeRelease(status, history);
    const failed = run.exitCode !== 0;
    const rolledBack = failed &&
        (isRolledBack(status, previousRevision) ||
            (previousRevision === undefined && wasInstallUninstalled(run.stderr)));
    if (!failed && state !== undefined) {
        helm.runtime.info(`Release ${spec.release}: revision ${state.revision} ${state.status} (chart ${state.chartName} ${state.chartVersion}, app ${state.appVersion || '-'}).`);
    }
    const failure = failed
        ? explainUpgradeFailure({
            release: spec.release,
            namespace: spec.namespace,
            exitCode: run.exitCode,
            stdout: run.stdout,
            stderr: run.stderr,
            state: status,
            history,
            isRolledBack: rolledBack,
            cluster: params.cluster,
        })
        : undefined;
    return { state, isRolledBack: rolledBack, failure };
}
/** Prints what the upgrade would change: the user-supplied values and the rendered resources. */
async function reportDryRun(helm, spec, stdout) {
    const rendered = parseDryRun(stdout);
    const deployed = await readDeployed(helm, spec.release, spec.namespace);
    const { runtime } = helm;
    await runtime.group(`Dry run of ${spec.release}: what would change (nothing was changed)`, () => {
        const values = diffValues(deployed.values, rendered.values);
        runtime.info(`Values (user-supplied), deployed -> rendered:\n${values.join('\n') || '  (no change)'}`);
        const manifest = diffManifests(deployed.manifest, rendered.manifest);
        runtime.info(`Resources (Secrets not shown):\n${manifest.join('\n') || '  (no change)'}`);
        runtime.debug(`Rendered manifest:\n${rendered.manifest}`);
        return Promise.resolve();
    });
    return rendered.state;
}


/***/ })

};
