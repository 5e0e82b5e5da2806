// Parses every .tf file under infra/ with HashiCorp's HCL parser (@cdktf/hcl2json, pinned in
// package.json) and checks the invariants the deploy relies on. Exits non-zero, naming each broken
// rule, so CI stops before a broken module reaches anyone's `terraform apply`.
import { parse } from '@cdktf/hcl2json';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(process.argv[2] ?? '../../infra');
const problems = [];
const fail = (rule) => problems.push(rule);

function tfFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('.') ? [] : tfFiles(p);
    return e.name.endsWith('.tf') || e.name.endsWith('.tfvars') ? [p] : [];
  });
}

// 1. Everything parses.
const parsed = {};
for (const file of tfFiles(root)) {
  try {
    parsed[path.relative(root, file)] = await parse(path.basename(file), fs.readFileSync(file, 'utf8'));
  } catch (e) {
    fail(`${path.relative(root, file)} does not parse: ${e.message ?? e}`);
  }
}
for (const f of ['versions.tf', 'variables.tf', 'main.tf', 'outputs.tf']) {
  if (!parsed[f]) fail(`infra/${f} is missing`);
}
if (!fs.existsSync(path.join(root, 'README.md'))) fail('infra/README.md is missing');
if (!Object.keys(parsed).some((f) => f.startsWith('examples/') && f.endsWith('.tfvars'))) {
  fail('infra/examples/ has no complete *.tfvars');
}
if (problems.length) finish();

const merge = (key) => Object.assign({}, ...['versions.tf', 'variables.tf', 'main.tf', 'outputs.tf'].map((f) => parsed[f]?.[key] ?? {}));
const variables = Object.fromEntries(Object.entries(merge('variable')).map(([k, v]) => [k, v[0]]));
const resources = merge('resource');
const data = merge('data');
const outputs = merge('output');
const one = (type, name) => resources[type]?.[name]?.[0];
const text = (value) => JSON.stringify(value ?? null);

// 2. Versions pinned.
const terraform = parsed['versions.tf'].terraform?.[0];
if (!terraform?.required_version) fail('versions.tf: required_version is not set');
if (!terraform?.required_providers?.[0]?.aws?.version) fail('versions.tf: the aws provider version is not pinned');

// 3. Variables: described and typed; no key as a default; secrets sensitive.
const keyLike = /(pub|sub|sec)-c-[0-9a-f-]{8,}/i;
for (const [name, v] of Object.entries(variables)) {
  if (!v.description) fail(`variable ${name} has no description`);
  if (!v.type) fail(`variable ${name} has no type`);
  if (keyLike.test(text(v.default))) fail(`variable ${name} has what looks like a PubNub key as its default`);
  if (/^pubnub_keys$|_key$|secret/.test(name) && !/parameter|arn|source/.test(name)) {
    if (v.sensitive !== true) fail(`variable ${name} holds a secret but is not marked sensitive`);
    if (v.default !== undefined && v.default !== null) fail(`variable ${name} holds a secret and has a default`);
  }
}
const visibility = variables.visibility_timeout_seconds;
const rule = (visibility?.validation ?? []).map((r) => r.condition).join(' ');
if (!/var\.visibility_timeout_seconds\b[^>]*>=\s*6\s*\*\s*coalesce\(var\.timeout\b[^)]*\)\s*\+\s*coalesce\(var\.maximum_batching_window_in_seconds\b/.test(rule)) {
  fail('variable visibility_timeout_seconds must be validated as >= 6 * var.timeout + the batching window');
}
// Defaults by queue kind live in main.tf's locals: each must keep the 6 x timeout + window rule.
const mainLocalsEarly = Object.assign({}, ...(parsed['main.tf'].locals ?? []));
const kindDefaults = (local) => {
  const m = /coalesce\(var\.\w+,\s*var\.fifo\s*\?\s*([^:]+?)\s*:\s*(\d+)\)/.exec(text(mainLocalsEarly[local]));
  return m ? { fifo: m[1], standard: Number(m[2]) } : null;
};
const timeouts = kindDefaults('timeout');
const visibilities = kindDefaults('visibility_timeout');
if (!timeouts || !visibilities) {
  fail('main.tf must default timeout and visibility_timeout by queue kind: coalesce(var.X, var.fifo ? FIFO : STANDARD)');
} else {
  if (visibilities.standard < 6 * timeouts.standard + 1) fail('the standard queue\'s default visibility timeout breaks the 6 x timeout + window rule');
  if (!/^6\s*\*\s*local\.timeout$/.test(visibilities.fifo)) fail('the FIFO default visibility timeout must be 6 x local.timeout (FIFO has no window)');
}
for (const needed of ['fifo', 'max_receive_count', 'architecture', 'package', 'batch_size',
  'maximum_batching_window_in_seconds', 'maximum_concurrency', 'log_retention_days']) {
  if (!variables[needed]) fail(`variable ${needed} is missing`);
}

// 4. Queues: a dead-letter queue with a redrive policy; FIFO by a variable.
const source = one('aws_sqs_queue', 'source');
const dlq = one('aws_sqs_queue', 'dead_letter');
if (!source || !dlq) fail('the source queue and the dead-letter queue must both exist');
if (source && !/deadLetterTargetArn[\s\S]*aws_sqs_queue\.dead_letter\.arn[\s\S]*maxReceiveCount[\s\S]*local\.max_receive_count/.test(text(source.redrive_policy))
    || !text(mainLocalsEarly.max_receive_count).includes('var.max_receive_count')) {
  fail('the source queue redrive policy must target the dead-letter queue with maxReceiveCount from var.max_receive_count');
}
if (source?.fifo_queue !== '${var.fifo}' || dlq?.fifo_queue !== '${var.fifo}') fail('both queues must be FIFO by var.fifo');
if (source?.visibility_timeout_seconds !== '${local.visibility_timeout}' || !text(mainLocalsEarly.visibility_timeout).includes('var.visibility_timeout_seconds')) {
  fail('the source queue must use var.visibility_timeout_seconds (through local.visibility_timeout)');
}

// 5. The function: native on provided.al2023, JVM on var.java_runtime with SnapStart; architecture a variable.
const fn = one('aws_lambda_function', 'this');
if (!fn) fail('aws_lambda_function.this is missing');
if (fn && !(text(fn.runtime).includes('provided.al2023') && text(fn.runtime).includes('var.java_runtime'))) {
  fail('the function runtime must be provided.al2023 (native) or var.java_runtime (JVM) by var.package');
}
if (fn && !text(fn.dynamic?.snap_start ?? fn.snap_start).includes('PublishedVersions')) fail('the JVM variant must use SnapStart on published versions');
if (fn && !text(fn.architectures).includes('var.architecture')) fail('the architecture must come from var.architecture');
if (fn && /PUBNUB_(PUBLISH|SUBSCRIBE|SECRET|AUTH)_KEY"\s*:/.test(text(fn.environment))) fail('no PubNub key may be set as a plain environment variable');
// The alarm and the dashboard read the metrics where the function writes them: one variable, no literal.
if (/"SyncFanout"|= *\\?"SyncFanout/.test(fs.readFileSync(path.join(root, 'main.tf'), 'utf8'))) fail('main.tf names the metrics namespace literally: use var.metrics_namespace');
if (fn && !/SYNC_METRICS_NAMESPACE\s*=\s*var\.metrics_namespace\b/.test(text(fn.environment))) fail('the function must write its metrics to var.metrics_namespace');

// 6. Event source mapping: partial batch responses and the knobs.
const esm = one('aws_lambda_event_source_mapping', 'source');
if (!esm) fail('aws_lambda_event_source_mapping.source is missing');
if (esm && text(esm.function_response_types) !== '["ReportBatchItemFailures"]') fail('the event source mapping must set function_response_types = ["ReportBatchItemFailures"]');
const mainLocals = Object.assign({}, ...(parsed['main.tf'].locals ?? []));
for (const [knob, local] of [['batch_size', 'batch_size'], ['maximum_batching_window_in_seconds', 'batching_window']]) {
  const direct = text(esm?.[knob]).includes(`var.${knob}`);
  const viaLocal = text(esm?.[knob]).includes(`local.${local}`) && text(mainLocals[local]).includes(`var.${knob}`);
  if (esm && !direct && !viaLocal) fail(`the event source mapping must set ${knob} from var.${knob}`);
}
if (esm && !/maximum_concurrency/.test(text(esm.dynamic?.scaling_config ?? esm.scaling_config)) || !text(mainLocals.maximum_concurrency).includes('var.maximum_concurrency')) {
  fail('the event source mapping must set scaling_config.maximum_concurrency from var.maximum_concurrency');
}
if (esm && !text(esm.dynamic?.provisioned_poller_config).includes('var.provisioned_pollers')) fail('the event source mapping must offer provisioned mode (var.provisioned_pollers)');
if (esm && !text(esm.metrics_config).includes('EventCount')) fail('the event source mapping must publish its EventCount metrics');

// 7. IAM: least privilege, nothing with a wildcard.
const policy = data.aws_iam_policy_document?.function?.[0];
if (!policy) fail('data.aws_iam_policy_document.function is missing');
const statements = [...(policy?.statement ?? []), ...(policy?.dynamic?.statement ?? []).map((d) => d.content[0])];
// The function's queues: the source queue, and the positions lane's when there is one.
const queues = ['${aws_sqs_queue.source.arn}', '${local.positions_queue_arns}'];
const allowed = {
  'sqs:ReceiveMessage': queues, 'sqs:DeleteMessage': queues, 'sqs:GetQueueAttributes': queues, 'sqs:ChangeMessageVisibility': queues,
  'sqs:SendMessage': queues,
  'logs:CreateLogStream': '${aws_cloudwatch_log_group.function.arn}:*', 'logs:PutLogEvents': '${aws_cloudwatch_log_group.function.arn}:*',
  'ssm:GetParameter': '${local.parameter_arns}', 'secretsmanager:GetSecretValue': '${var.pubnub_keys_secret_arn}',
  'kms:Decrypt': '${var.kms_key_arn}',
};
const granted = new Set();
for (const s of statements) {
  const resourcesOf = [].concat(s.resources ?? []);
  for (const action of s.actions ?? []) {
    granted.add(action);
    if (!(action in allowed)) fail(`IAM grants ${action}, which the function does not need`);
    else if (resourcesOf.some((r) => ![].concat(allowed[action]).includes(r))) fail(`IAM grants ${action} on ${text(resourcesOf)}, wider than ${allowed[action]}`);
  }
  if (text(s).includes('"*"')) fail(`IAM statement ${s.sid} uses a wildcard`);
}
for (const needed of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility', 'sqs:SendMessage', 'logs:PutLogEvents', 'ssm:GetParameter', 'secretsmanager:GetSecretValue']) {
  if (!granted.has(needed)) fail(`IAM does not grant ${needed}`);
}

// 8. Logs and alarms.
const logs = one('aws_cloudwatch_log_group', 'function');
if (!logs?.retention_in_days) fail('the log group must set retention_in_days');
const alarms = Object.values(resources.aws_cloudwatch_metric_alarm ?? {}).map((a) => a[0]);
const watched = (namespace, metric) => alarms.some((a) => a.namespace === namespace && a.metric_name === metric);
if (!alarms.some((a) => a.metric_name === 'ApproximateNumberOfMessagesVisible' && text(a.dimensions).includes('dead_letter'))) {
  fail('an alarm must watch the dead-letter queue depth');
}
if (!watched('AWS/SQS', 'ApproximateAgeOfOldestMessage')) fail('an alarm must watch the age of the oldest message');
if (!watched('AWS/Lambda', 'Errors')) fail('an alarm must watch function errors');
if (!watched('AWS/Lambda', 'Throttles')) fail('an alarm must watch throttles');
if (!watched('AWS/SQS', 'ApproximateNumberOfMessagesNotVisible')) fail('an alarm must watch the in-flight count (SQS stalls a queue near 120,000)');
if (!alarms.some((a) => a.metric_name === 'RedeliveriesNotDelayed')) fail('an alarm must watch records an outage could not park or delay');

// 9. A dashboard of the function's own metrics: what on-call engineers look at first.
const dashboard = one('aws_cloudwatch_dashboard', 'function');
if (!dashboard) fail('aws_cloudwatch_dashboard.function is missing');
for (const metric of ['RecordsReceived', 'RecordsFailed', 'Publishes', 'PublishLatency', 'CircuitOpen', 'RateLimitedAnswers', 'RateLimitPause']) {
  if (dashboard && !text(dashboard.dashboard_body).includes(metric)) fail(`the dashboard does not show ${metric}`);
}
for (const kind of ['RecordsInvalid', 'RecordsRefused', 'RecordsUndelivered', 'RecordsFailedFast', 'RecordsOutOfTime', 'RecordsBehindFailure']) {
  if (!text(parsed['main.tf']).includes(kind)) fail(`the dashboard does not break failures down by ${kind}`);
}
if (dashboard && !/ApproximateNumberOfMessagesVisible[\s\S]*dead_letter/.test(text(dashboard.dashboard_body))) {
  fail('the dashboard does not show the dead-letter queue');
}

// 10. The README documents every input and output.
const readme = fs.existsSync(path.join(root, 'README.md')) ? fs.readFileSync(path.join(root, 'README.md'), 'utf8') : '';
for (const name of [...Object.keys(variables), ...Object.keys(outputs)]) {
  if (!readme.includes('`' + name + '`')) fail(`infra/README.md does not document \`${name}\``);
}

finish();

function finish() {
  const files = Object.keys(parsed).length;
  if (problems.length) {
    console.error(`infra check: ${problems.length} problem(s) in ${root}`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log(`infra check: ${files} files parse, every invariant holds`);
  process.exit(0);
}
