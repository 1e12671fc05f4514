// check-terraform.mjs — parses every backend/terraform/*.tf with hcl2json and checks the wiring
// the AWS deployment depends on (docs/deploy-aws.md). TAP output, one case per requirement.
//
// Usage: node check-terraform.mjs TERRAFORM_DIR HCL2JSON_PREFIX
// SPDX-License-Identifier: GPL-3.0-or-later
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const [terraformDir, prefix] = process.argv.slice(2);
const require = createRequire(join(prefix, 'package.json'));
let parse;
try {
  ({ parse } = require('@cdktf/hcl2json'));
} catch (error) {
  console.log(`Bail out! @cdktf/hcl2json is not installed in ${prefix}: run tests/terraform/install.sh (${error.message})`);
  process.exit(1);
}

// ---- parse and merge ---------------------------------------------------------------------
const config = { resource: {}, data: {}, variable: {}, output: {}, locals: {} };
const files = readdirSync(terraformDir).filter((name) => name.endsWith('.tf')).sort();
for (const name of files) {
  const parsed = await parse(name, readFileSync(join(terraformDir, name), 'utf8'));
  for (const [kind, blocks] of Object.entries(parsed)) {
    if (kind === 'locals') {
      for (const block of blocks) Object.assign(config.locals, block);
    } else if (kind === 'resource' || kind === 'data') {
      for (const [type, byName] of Object.entries(blocks)) {
        config[kind][type] ??= {};
        for (const [resourceName, list] of Object.entries(byName)) {
          if (config[kind][type][resourceName]) throw new Error(`${type}.${resourceName} is defined twice`);
          config[kind][type][resourceName] = list[0];
        }
      }
    } else if (kind in config) {
      for (const [blockName, list] of Object.entries(blocks)) config[kind][blockName] = list[0];
    }
  }
}

// ---- helpers -------------------------------------------------------------------------------
let count = 0;
let failed = 0;
function check (name, fn) {
  count++;
  try {
    fn();
    console.log(`ok ${count} - ${name}`);
  } catch (error) {
    failed++;
    console.log(`not ok ${count} - ${name}\n  # ${error.message.replace(/\n/g, '\n  # ')}`);
  }
}
function assert (condition, message) {
  if (!condition) throw new Error(message);
}
function resource (type, name) {
  const block = config.resource[type]?.[name];
  assert(block, `resource ${type}.${name} is missing`);
  return block;
}
// `${…}` of a plain expression, or the literal value.
function expression (value) {
  return typeof value === 'string' ? value.replace(/^\$\{([\s\S]*)\}$/, '$1').trim() : value;
}
// Evaluates locals and simple integer arithmetic ("4 * 24 * 3600", "local.x").
function number (value) {
  if (typeof value === 'number') return value;
  const text = expression(value);
  const local = /^local\.([a-z_]+)$/.exec(text);
  if (local) return number(config.locals[local[1]]);
  assert(/^[0-9 *+-]+$/.test(text), `cannot evaluate "${text}" as a number`);
  return text.split('+').reduce((sum, term) =>
    sum + term.split('*').reduce((product, factor) => product * Number(factor.trim()), 1), 0);
}
function list (value) {
  const text = expression(value);
  if (Array.isArray(text)) return text;
  const local = /^local\.([a-z_]+)$/.exec(text);
  assert(local, `"${text}" is not a list or a local`);
  return list(config.locals[local[1]]);
}
function blocks (value) {
  return Array.isArray(value) ? value : value ? [value] : [];
}

const handlers = ['upload-handler', 'textract-processor', 'bedrock-processor', 'book-validator',
                  'connection-manager', 'sns-notifier', 'http-api'];
const functions = config.locals.functions ?? {};

// ---- checks --------------------------------------------------------------------------------
check(`every .tf file parses (${files.length} files)`, () => assert(files.length >= 5, 'too few files'));

check('a name prefix and a region are variables', () => {
  assert(config.variable.name_prefix, 'variable name_prefix is missing');
  assert(config.variable.region, 'variable region is missing');
  assert(expression(config.data.aws_caller_identity ? 'x' : ''), 'data aws_caller_identity is missing');
});

check('one function per _HANDLER of ARCHITECTURE.md, on provided.al2023', () => {
  assert(JSON.stringify(Object.keys(functions).sort()) === JSON.stringify([...handlers].sort()),
         `local.functions is ${Object.keys(functions)}`);
  const lambda = resource('aws_lambda_function', 'stage');
  assert(expression(lambda.for_each) === 'local.functions', 'functions are not made for each local.functions');
  assert(lambda.runtime === 'provided.al2023', `runtime is ${lambda.runtime}`);
  assert(expression(lambda.handler) === 'each.key', 'handler (_HANDLER) is not the function\'s key');
  assert(expression(lambda.role).includes('aws_iam_role.function[each.key]'), 'role is not the function\'s own');
});

check('log groups with retention, one per function, used by the functions', () => {
  const group = resource('aws_cloudwatch_log_group', 'function');
  assert(expression(group.for_each) === 'local.functions', 'not one per function');
  assert(expression(group.retention_in_days).length > 0, 'no retention');
  assert(expression(group.name).startsWith('/aws/lambda/'), 'not the Lambda log group name');
  const logging = blocks(resource('aws_lambda_function', 'stage').logging_config)[0];
  assert(logging && expression(logging.log_group).includes('aws_cloudwatch_log_group.function[each.key]'),
         'functions do not log to their group');
});

check('upload and results buckets; results encrypted; CORS for the web page', () => {
  resource('aws_s3_bucket', 'uploads');
  resource('aws_s3_bucket', 'results');
  const sse = resource('aws_s3_bucket_server_side_encryption_configuration', 'results');
  assert(expression(sse.bucket).includes('aws_s3_bucket.results'), 'encryption is not on the results bucket');
  const cors = resource('aws_s3_bucket_cors_configuration', 'uploads');
  const rule = blocks(cors.cors_rule)[0];
  assert(rule.allowed_methods.includes('PUT'), 'the web page cannot PUT photos');
  assert(rule.allowed_headers.includes('content-type'), 'content-type is signed, so it must be allowed');
});

check('upload notifications invoke the upload handler', () => {
  const notification = resource('aws_s3_bucket_notification', 'uploads');
  const target = blocks(notification.lambda_function)[0];
  assert(expression(target.lambda_function_arn).includes('stage["upload-handler"]'), 'not the upload handler');
  assert(target.events.includes('s3:ObjectCreated:*'), 'not on ObjectCreated');
  const permission = resource('aws_lambda_permission', 's3_invokes_upload_handler');
  assert(permission.principal === 's3.amazonaws.com', 'S3 may not invoke it');
});

check('three stage queues, each consumed by its stage, each with a dead-letter queue', () => {
  const queues = config.locals.stage_queues;
  assert(JSON.stringify(queues) === JSON.stringify({
    candidates: 'bedrock-processor', ocr: 'textract-processor', validation: 'book-validator' }),
  `stage_queues is ${JSON.stringify(queues)}`);
  const queue = resource('aws_sqs_queue', 'stage');
  const deadLetter = resource('aws_sqs_queue', 'dead_letter');
  assert(expression(queue.for_each) === 'local.stage_queues' &&
         expression(deadLetter.for_each) === 'local.stage_queues', 'not one of each per stage queue');
  const redrive = expression(queue.redrive_policy);
  assert(redrive.includes('aws_sqs_queue.dead_letter[each.key].arn'), 'redrive does not target the queue\'s own DLQ');
  const maxReceive = /maxReceiveCount\s*=\s*(\S+)/.exec(redrive);
  assert(maxReceive && number(`\${${maxReceive[1]}}`) === 5, 'maxReceiveCount is not 5');
});

check('visibility timeout ≥ 6 × the consumer\'s timeout', () => {
  const visibility = expression(resource('aws_sqs_queue', 'stage').visibility_timeout_seconds);
  const match = /^(\d+)\s*\*\s*local\.functions\[each\.value\]\.timeout$/.exec(visibility);
  assert(match && Number(match[1]) >= 6, `visibility_timeout_seconds is "${visibility}"`);
  for (const [queueName, consumer] of Object.entries(config.locals.stage_queues)) {
    assert(functions[consumer]?.timeout > 0, `${queueName}'s consumer ${consumer} has no timeout`);
  }
});

check('dead-letter retention longer than the queue\'s', () => {
  const kept = number(resource('aws_sqs_queue', 'stage').message_retention_seconds);
  const deadKept = number(resource('aws_sqs_queue', 'dead_letter').message_retention_seconds);
  assert(deadKept > kept, `DLQ keeps ${deadKept} s, the queue ${kept} s`);
  assert(deadKept <= 1209600, 'SQS keeps messages 14 days at most');
});

check('event source mappings report batch item failures', () => {
  const mapping = resource('aws_lambda_event_source_mapping', 'stage');
  assert(expression(mapping.for_each) === 'local.stage_queues', 'not one per stage queue');
  assert(mapping.function_response_types?.includes('ReportBatchItemFailures'), 'ReportBatchItemFailures is off');
  assert(expression(mapping.function_name).includes('stage[each.value]'), 'not the queue\'s consumer');
});

check('the results topic and the notifier\'s subscription', () => {
  resource('aws_sns_topic', 'results');
  const subscription = resource('aws_sns_topic_subscription', 'notifier');
  assert(subscription.protocol === 'lambda', 'not a Lambda subscription');
  assert(expression(subscription.endpoint).includes('stage["sns-notifier"]'), 'not the notifier');
  assert(resource('aws_lambda_permission', 'sns_invokes_notifier').principal === 'sns.amazonaws.com',
         'SNS may not invoke the notifier');
});

check('WebSocket API routed by $request.body.action with every route', () => {
  const api = resource('aws_apigatewayv2_api', 'websocket');
  assert(api.protocol_type === 'WEBSOCKET', 'not a WebSocket API');
  assert(api.route_selection_expression === '$request.body.action', 'wrong route selection');
  const routes = list(resource('aws_apigatewayv2_route', 'websocket').for_each.replace(/toset\((.*)\)/, '$1'));
  for (const route of ['$connect', '$disconnect', '$default', 'subscribe', 'unsubscribe', 'ping']) {
    assert(routes.includes(route), `route ${route} is missing`);
  }
  const integration = resource('aws_apigatewayv2_integration', 'connection_manager');
  assert(integration.integration_type === 'AWS_PROXY', 'not a proxy integration');
  assert(expression(integration.integration_uri).includes('stage["connection-manager"]'), 'not the connection manager');
  resource('aws_apigatewayv2_stage', 'websocket');
  assert(resource('aws_lambda_permission', 'websocket_invokes_connection_manager').principal ===
         'apigateway.amazonaws.com', 'API Gateway may not invoke the connection manager');
});

check('HTTP API with the routes of ARCHITECTURE.md', () => {
  assert(resource('aws_apigatewayv2_api', 'http').protocol_type === 'HTTP', 'not an HTTP API');
  const routes = list(resource('aws_apigatewayv2_route', 'http').for_each.replace(/toset\((.*)\)/, '$1'));
  for (const route of ['GET /upload-url', 'GET /results/{jobId}', 'GET /catalog/search', 'GET /']) {
    assert(routes.includes(route), `route ${route} is missing`);
  }
  const integration = resource('aws_apigatewayv2_integration', 'http_api');
  assert(integration.payload_format_version === '2.0', 'not payload format 2.0');
  assert(expression(integration.integration_uri).includes('stage["http-api"]'), 'not the http-api function');
});

check('connections table: job id + connection id keys, connection-id index, TTL on', () => {
  const table = resource('aws_dynamodb_table', 'connections');
  assert(table.hash_key === 'jobId' && table.range_key === 'connectionId', 'wrong keys');
  const index = blocks(table.global_secondary_index)[0];
  assert(index && index.hash_key === 'connectionId', 'no connection-id index');
  const ttl = blocks(table.ttl)[0];
  assert(ttl && ttl.enabled === true && ttl.attribute_name === 'expiresAt', 'TTL is not on expiresAt');
});

check('one IAM role per function, least privilege', () => {
  const role = resource('aws_iam_role', 'function');
  assert(expression(role.for_each) === 'local.functions', 'not one role per function');
  const permissions = config.locals.function_permissions ?? {};
  assert(JSON.stringify(Object.keys(permissions).sort()) === JSON.stringify([...handlers].sort()),
         'function_permissions does not list exactly the functions');
  // Statements are built in several locals (some in for expressions): look at all of them.
  const everything = JSON.stringify(config.locals);
  const wildcardAction = /\\?"[a-z0-9-]+:\*\\?"|"actions":\s*\[\s*"\*"/.exec(everything);
  assert(!wildcardAction, `a wildcard action: ${wildcardAction?.[0]}`);
  const text = JSON.stringify(permissions);
  const wildcardResources = text.match(/\{[^{}]*"resources":\s*\[\s*"\*"\s*\][^{}]*\}/g) ?? [];
  for (const statement of wildcardResources) {
    assert(statement.includes('textract:DetectDocumentText'), `resource "*" outside Textract: ${statement}`);
  }
  const sends = (name) => JSON.stringify(permissions[name]);
  assert(sends('textract-processor').includes('local.send_to[\\"candidates\\"]'), 'OCR cannot send on');
  assert(!sends('http-api').includes('sqs:'), 'the HTTP API needs no queue');
  assert(sends('connection-manager').includes('local.manage_connections') &&
         sends('sns-notifier').includes('local.manage_connections'), '@connections not allowed');
});

check('asynchronous events (S3, SNS) that keep failing go to a queue, not away', () => {
  const functionsWithConfig = list(config.locals.asynchronous_functions);
  for (const name of ['upload-handler', 'sns-notifier']) {
    assert(functionsWithConfig.includes(name), `${name} has no failure destination`);
  }
  const invoke = resource('aws_lambda_function_event_invoke_config', 'asynchronous');
  const onFailure = blocks(blocks(invoke.destination_config)[0]?.on_failure)[0];
  assert(onFailure && expression(onFailure.destination).includes('aws_sqs_queue.failed_event[each.key]'),
         'no on_failure queue');
  resource('aws_sqs_queue', 'failed_event');
});

check('outputs: the server, WebSocket and HTTP URLs', () => {
  for (const name of ['server_url', 'websocket_url', 'http_url']) {
    assert(config.output[name], `output ${name} is missing`);
  }
});

check('one server URL carries /ws to the WebSocket API', () => {
  const distribution = resource('aws_cloudfront_distribution', 'server');
  const behaviour = blocks(distribution.ordered_cache_behavior).find((b) => b.path_pattern === '/ws');
  assert(behaviour && behaviour.target_origin_id === 'websocket-api', '/ws does not go to the WebSocket API');
  const code = resource('aws_cloudfront_function', 'websocket_path').code;
  assert(/request\.uri === "\/ws"/.test(code), 'the function does not rewrite /ws');
});

console.log(`1..${count}`);
process.exit(failed > 0 ? 1 : 0);
