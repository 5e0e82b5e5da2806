// The infra checks must catch what they claim: each mistake planted in fixtures/broken is reported at its
// file and line, and the real module passes. Run with `node --test` in .ci/infra-check.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { planModule, terraformBinary } from '../plan.mjs';
import { checkSchema } from '../schema.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const broken = path.join(here, 'fixtures', 'broken');
const infra = path.resolve(here, '..', '..', '..', 'infra');
// "<file>:<line>" of the first line of a fixture file containing `snippet`.
const at = (snippet, file = 'main.tf') => {
  const line = fs.readFileSync(path.join(broken, file), 'utf8').split('\n').findIndex((l) => l.includes(snippet));
  assert.ok(line >= 0, `the fixture has no line with ${snippet}`);
  return `${file}:${line + 1}`;
};
const reported = (problems, place, pattern) => assert.ok(
  problems.some((p) => p.includes(place) && pattern.test(p)),
  `expected ${pattern} at ${place}; reported:\n${problems.join('\n')}`,
);

test('the schema check reports each mistake in the fixture, at its line', async () => {
  const problems = await checkSchema(broken);
  reported(problems, at('visibilty_timeout_seconds'), /unsupported argument "visibilty_timeout_seconds" \(did you mean "visibility_timeout_seconds"\?\)/);
  reported(problems, at('memory_size   = "lots"'), /"memory_size" takes a number, not "lots"/);
  reported(problems, at('architectures = "arm64"'), /"architectures" takes a list/);
  reported(problems, at('resource "aws_sqs_queu"'), /resource type "aws_sqs_queu" does not exist in the AWS provider \(did you mean "aws_sqs_queue"\?\)/);
  reported(problems, at('resource "aws_iam_role"'), /required argument "assume_role_policy" is not set/);
  reported(problems, at('urll'), /aws_sqs_queue\.queue has no attribute "urll" \(did you mean "url"\?\)/);
  reported(problems, at('urll'), /data\.aws_region\.current\.name is deprecated since provider 6\.0/);
  assert.equal(problems.length, 7, `exactly the planted mistakes:\n${problems.join('\n')}`);
});

test('the schema check passes infra/', async () => {
  assert.deepEqual(await checkSchema(infra), []);
});

const noTerraform = terraformBinary() ? false : 'no terraform binary on this machine: the plan check cannot run';

test('the plan check reports each mistake Terraform finds in the fixture, at its line', { skip: noTerraform }, async () => {
  const { ok, problems } = await planModule(broken);
  const messages = problems.map((p) => p.message);
  assert.equal(ok, false);
  reported(messages, at('for_each = var.keys'), /Invalid for_each argument \(Sensitive values/);
  reported(messages, at('timeout       = var.memory + "s"'), /Invalid operand/);
  reported(messages, at('toset([aws_sqs_queue.queue.arn])', 'after-apply/main.tf'), /Invalid for_each argument .*cannot be determined until apply/);
});

test('the plan check passes infra/: it validates, every test run passes, every example plans', { skip: noTerraform }, async () => {
  const { ok, report } = await planModule(infra);
  assert.ok(ok, report.join('\n'));
  assert.ok(report.some((l) => /test run "keys_stored_by_the_module" .*: pass/.test(l)), report.join('\n'));
  assert.ok(report.some((l) => /examples\/complete: terraform plan -var-file=example\.tfvars: Plan: \d+ to add/.test(l)), report.join('\n'));
});
