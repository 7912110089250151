// `prompt-lab`: the engine of Bedrock Prompt Lab in a terminal, for CI and coding agents. The same use
// cases as the extension (src/app) over a Node host; the same credential rules (--profile, --region,
// --endpoint, AWS_PROFILE, SSO, AWS_ENDPOINT_URL*). Exit codes: src/cli/exitCodes.ts and docs/cli.md.
import { guardrailCheckCommand, type GuardrailCheckOptions } from './guardrailCommand';
import { LATENCIES, SERVICE_TIERS, TIERS_SHARE_QUOTA } from '../core/bedrock/serviceTiers';
import nodeModule from 'node:module';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BedrockError } from '../core/shared/bedrockError';
import { toBedrockError } from '../core/bedrock/errors';
import { EXIT, exitCodeFor } from './exitCodes';
import { nodeHost, readPriceOverrides, type NodeHostOptions } from './nodeHost';
import { TERMINAL_REMEDIES, useRemedies } from '../core/shared/remedies';
import { checkCommand, type CheckFormat } from './checkCommand';
import { estimateCommand } from './estimateCommand';
import { testCommand, type TestCommandOptions } from './testCommand';
import { REPORTERS } from './testReporters';
import { saveBaseline } from './baseline';
import { REFERENCE_FIELDS, REFERENCE_MATCHES } from '../app/dataCases';
import { runCommand, type RunCommandOptions } from './runCommand';
import { rowsCommand, type RowsCommandOptions } from './rowsCommand';
import { evalCommand, type EvalCommandOptions } from './evalCommand';
import { DATASET_TYPES, datasetCommand, type DatasetCommandOptions } from './datasetCommand';
import { knowledgeBaseList, knowledgeBaseRetrieve } from './knowledgeBaseCommand';
import { agentDeploy, agentList } from './agentCommand';
import { casesGenerate } from './casesCommand';
import { optimizeCommand, type OptimizeCommandOptions } from './optimizeCommand';
import { managedPromptImport, managedPromptList, managedPromptPublish, managedPromptRun } from './managedPromptCommand';
import {
  optimizeJobCollect,
  optimizeJobStart,
  optimizeJobStatus,
  optimizeJobStop,
  type OptimizeJobStartOptions,
} from './optimizeJobCommand';
import { customizeLoss, customizeStart, customizeStatus, type CustomizeStartOptions } from './customizeCommand';
import { batchJobCollect, batchJobStart, batchJobStatus, type BatchJobStartOptions } from './batchJobCommand';

// V8's compile cache (Node 22.1+): the engine bundles loaded on demand (the prompt engine, the SDK) are
// compiled once per version, not at every start of a CI step. Older Node starts as before.
(nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache?.();

declare const PROMPT_LAB_VERSION: string | undefined;
const version = typeof PROMPT_LAB_VERSION === 'string' ? PROMPT_LAB_VERSION : '0.0.0-dev';

interface GlobalOptions {
  prices?: string;
  profile?: string;
  region?: string;
  endpoint?: string;
  project?: string;
  firstByteTimeout?: number;
  requestTimeout?: number;
  verbose?: boolean;
  quiet?: boolean;
}

function fail(message: string, code: number): number {
  process.stderr.write(`prompt-lab: ${message}\n`);
  return code;
}

export async function main(argv: string[]): Promise<number> {
  useRemedies(TERMINAL_REMEDIES);
  const controller = new AbortController();
  let interrupted = false;
  const onSigint = () => {
    // The first Ctrl+C stops the stream (what arrived is kept); a second one ends the process.
    if (interrupted) process.exit(EXIT.interrupted);
    interrupted = true;
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  let code: number = EXIT.ok;
  const program = new Command('prompt-lab')
    .description('Bedrock Prompt Lab in a terminal: run, test, check and estimate .prompt files for Amazon Bedrock.')
    .version(version)
    .addOption(new Option('--profile <name>', 'AWS profile (default: AWS_PROFILE, then the default chain)'))
    .addOption(new Option('--region <region>', 'AWS Region (default: AWS_REGION or the profile)'))
    .addOption(
      new Option(
        '--endpoint <url>',
        'Bedrock endpoint, e.g. a local server (default: AWS_ENDPOINT_URL_BEDROCK_RUNTIME)',
      ),
    )
    .option(
      '--project <id>',
      "the Bedrock project calls belong to: its ID, its ARN or 'default' (a prompt's bedrock.project wins)",
    )
    .option('--first-byte-timeout <seconds>', 'how long a stream may take to start (default 60)', seconds)
    .option('--request-timeout <seconds>', 'how long a whole call may take (default 300)', seconds)
    .option(
      '--prices <file.json>',
      'your prices per 1,000 tokens over the table: {"<model id>": {"input": …, "output": …}}',
    )
    .option('-v, --verbose', 'log requests and retries on stderr')
    .option('-q, --quiet', 'print only the answer (no metrics line)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });

  /** A Node host from the global flags, disposed when the command ends. */
  const withHost = async (
    extra: Pick<NodeHostOptions, 'stallTimeoutSeconds' | 'cache'>,
    use: (host: ReturnType<typeof nodeHost>) => Promise<number>,
  ) => {
    const global = program.opts<GlobalOptions>();
    const priceOverrides = global.prices
      ? { prices: await readPriceOverrides(global.prices), file: global.prices }
      : undefined;
    const host = nodeHost({
      priceOverrides,
      profile: global.profile,
      region: global.region,
      endpoint: global.endpoint,
      project: global.project,
      firstByteTimeoutMs: global.firstByteTimeout && global.firstByteTimeout * 1000,
      converseTimeoutMs: global.requestTimeout && global.requestTimeout * 1000,
      verbose: global.verbose,
      userAgent: `bedrock-prompt-lab-cli/${version}`,
      ...extra,
    });
    try {
      code = await use(host);
    } catch (err) {
      // What the SDK or the service threw, in the same words as everywhere (credentials, S3, access…).
      throw toBedrockError(err, { operation: `prompt-lab ${running}`, profile: host.profile() });
    } finally {
      host.dispose();
    }
  };
  // The command running, as commander resolved it (global flags before it and all): "batch-job start".
  let running = '';
  program.hook('preAction', (_program, action) => {
    const parent = action.parent && action.parent !== program ? `${action.parent.name()} ` : '';
    running = `${parent}${action.name()}`;
  });

  promptOptions(program.command('run'), 'run on this model instead of the one the file names')
    .description('run a .prompt file: the answer streams to stdout, the metrics line to stderr')
    .option('--json', 'print one result object (answer, usage, cost, latency) instead of streaming')
    .option('--stall-timeout <seconds>', 'stop a stream that sends nothing for this long', seconds)
    .action(async (file: string, opts: RunCommandOptions & { stallTimeout?: number }) =>
      withHost({ stallTimeoutSeconds: opts.stallTimeout }, (host) =>
        runCommand(host, file, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );

  promptOptions(program.command('estimate'), 'estimate for this model instead of the one the file names')
    .description('the tokens and cost of one run, before it is sent (CountTokens where the model has it)')
    .option('--json', 'print one estimate object')
    .option('--offline', 'send nothing: estimate the tokens from the characters')
    .action(async (file: string, opts: RunCommandOptions & { offline?: boolean }) =>
      withHost({}, (host) => estimateCommand(host, file, opts, controller.signal)),
    );

  program
    .command('test')
    .description('run the cases of each x.tests.yaml on its x.prompt (exit 1 when a case or a gate fails)')
    .argument('[paths...]', 'tests files, prompts, or folders to search (default: the current folder)')
    .option('-m, --model <id>', "run the cases on this model instead of the file's")
    .option('--concurrency <n>', 'cases at once (the adaptive limiter slows down on throttling)', Number, 4)
    .option('--repeat <n>', 'run each case n times and report how often it passes (and its latency spread)', Number, 1)
    .option('--grep <text>', 'only the cases whose id (tests file#case name) holds this text')
    .option('--shard <i/N>', "this job's share of the cases: N jobs with 1/N … N/N run each case once")
    .addOption(
      new Option('--reporter <name>', 'pretty, json, junit or github (repeatable)')
        .choices([...REPORTERS])
        .argParser((value: string, previous: string[] | undefined) => {
          if (!(REPORTERS as readonly string[]).includes(value))
            throw new InvalidArgumentError(`Allowed reporters are ${REPORTERS.join(', ')}.`);
          return [...(previous ?? []), value];
        }),
    )
    .option('-o, --output <file>', 'the file of the --reporter before it (repeatable)', collect, [])
    .option('--min-pass-rate <rate>', 'pass when at least this share of the cases pass (0.9 or 90%)')
    .option('--max-cost <usd>', 'fail when the run costs more than this (US dollars)', Number)
    .option('--baseline <result.json>', 'compare with a saved result (prompt-lab baseline save)')
    .option('--max-regression <rate>', 'with --baseline: the largest pass-rate drop allowed (0.05 or 5%; default 0)')
    .addOption(
      new Option('--cache <mode>', 'answers kept on disk, keyed by the exact request: rw, ro or off')
        .choices(['rw', 'ro', 'off'])
        .default('off'),
    )
    .option('--cache-dir <dir>', 'where --cache keeps answers', '.prompt-lab/cache')
    .option('--record <dir>', 'ask the service for every answer and keep it in this folder (fixtures)')
    .option('--replay <dir>', 'answer only from fixtures recorded there: nothing is sent, no credentials needed')
    .action(
      async (
        paths: string[],
        opts: TestCommandOptions & { cache: 'rw' | 'ro' | 'off'; cacheDir: string; record?: string; replay?: string },
      ) => {
        if ([opts.cache !== 'off', opts.record, opts.replay].filter(Boolean).length > 1)
          throw new BedrockError('PromptInvalid', 'Give one of --cache, --record and --replay.');
        const cache: NodeHostOptions['cache'] = opts.replay
          ? { dir: opts.replay, mode: 'replay' }
          : opts.record
            ? { dir: opts.record, mode: 'record' }
            : opts.cache !== 'off'
              ? { dir: opts.cacheDir, mode: opts.cache }
              : undefined;
        return withHost({ cache }, async (host) => {
          const result = await testCommand(
            host,
            paths,
            { ...opts, reporter: opts.reporter ?? [], quiet: program.opts<GlobalOptions>().quiet },
            version,
            controller.signal,
          );
          if (cache && !program.opts<GlobalOptions>().quiet) {
            const { hits, misses, written } = host.cacheStats;
            process.stderr.write(
              `answers on disk (${cache.dir}): ${hits} used, ${misses} missing, ${written} written\n`,
            );
          }
          return result;
        });
      },
    );

  program
    .command('eval')
    .description(
      'evaluate a prompt and its variants on several models over its tests file: the report, a recommendation, the history',
    )
    .argument('<file>', 'the .prompt file (its variants name.<variant>.prompt and name.tests.yaml sit beside it)')
    .option('-m, --model <id>', 'a model to evaluate (repeatable; default: the one the file names)', collect, [])
    .option('--no-variants', 'only the prompt itself, not name.<variant>.prompt beside it')
    .option('--repeat <n>', 'run each case n times on each configuration (measures variance)', Number, 1)
    .option('--concurrency <n>', 'calls at once (each model slows down on its own throttling)', Number, 4)
    .option('--max-cost <usd>', 'stop taking calls once this much is spent (US dollars); resumable', Number)
    .option('--margin <rate>', 'recommend the cheapest within this much of the best pass rate (0.05 or 5%)', '5%')
    .addOption(
      new Option('--optimize <what>', 'what the recommendation minimises among the good enough')
        .choices(['cost', 'latency'])
        .default('cost'),
    )
    .option('--cases <data file>', 'evaluate on the rows of a data file (JSONL, CSV, JSON) with reference answers')
    .option(
      '--reference <field>',
      `with --cases: the field holding the reference answer (default: ${REFERENCE_FIELDS.join(', ')})`,
    )
    .addOption(
      new Option(
        '--match <how>',
        'with --cases: judge (agrees in substance), equals or contains; default judge with --judge',
      ).choices([...REFERENCE_MATCHES]),
    )
    .option('--judge <model id>', 'with --cases: the model that grades answers against the reference answers')
    .option(
      '--hourly <usd|arn=usd>',
      "a provisioned throughput's price, US dollars an hour (all its model units); repeatable as arn=usd",
      collect,
      [],
    )
    .option('--calls-per-month <n>', "the volume that spreads a provisioned throughput's hourly price", Number)
    .addOption(
      new Option(
        '--backend <where>',
        'make the answers on demand (streamed), or as Bedrock batch inference jobs at batch prices',
      )
        .choices(['on-demand', 'batch'])
        .default('on-demand'),
    )
    .addOption(
      new Option(
        '--judge-with <who>',
        'grade rubric and reference assertions here (the judge model), or as Bedrock model evaluation jobs',
      )
        .choices(['here', 'eval-job'])
        .default('here'),
    )
    .option('--s3 <s3://bucket/prefix/>', "with Bedrock jobs (batch, eval-job): where the jobs' files go")
    .option('--role <arn>', 'with Bedrock jobs: an IAM role Bedrock can assume, with access to that S3 location')
    .option('--poll <seconds>', 'with Bedrock jobs: seconds between job status checks', Number, 30)
    .option('--estimate', 'print the plan and the estimated cost; send nothing')
    .option('--offline', 'with --estimate: count tokens from the characters (no CountTokens calls)')
    .option('--restart', 'forget an interrupted evaluation and make every call again (default: resume it)')
    .option('--json', 'print the record (with summaries and the recommendation) as JSON instead of Markdown')
    .option('--markdown <file>', 'also write the Markdown report to this file (for a pull request)')
    .option(
      '--compare <record.json|previous>',
      'compare with a saved evaluation: flipped cases, pass-rate and cost deltas',
    )
    .action(async (file: string, opts: Omit<EvalCommandOptions, 'quiet'>) =>
      withHost({}, (host) =>
        evalCommand(host, file, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );

  program
    .command('rows')
    .description('run a .prompt over every row of a JSONL, CSV or JSON file into a results JSONL (resumable)')
    .argument('<file>', 'the .prompt file')
    .argument('<rows>', 'the rows: .jsonl, .csv or .json; each row gives the inputs by name')
    .option('-o, --output <file>', 'the results JSONL (default: <rows>.results.jsonl)')
    .option('-m, --model <id>', "run on this model instead of the file's")
    .option('--concurrency <n>', 'rows at once (the adaptive limiter slows down on throttling)', Number, 4)
    .option('--restart', 'forget an interrupted run and send every row again (default: resume it)')
    .option('--max-cost <usd>', 'send nothing when the estimate can exceed this (US dollars)', Number)
    .action(async (file: string, rows: string, opts: Omit<RowsCommandOptions, 'quiet'>) =>
      withHost({}, (host) =>
        rowsCommand(host, file, rows, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );

  program
    .command('guardrail')
    .description('Bedrock guardrails')
    .command('check')
    .description(
      'a text file through a guardrail (ApplyGuardrail): what it did, exit 1 when it intervened; without --guardrail, its content-filter, prompt-attack and PII scores (InvokeGuardrailChecks)',
    )
    .argument('<file>', 'the text to check')
    .option('-g, --guardrail <id>', "the guardrail's ID or ARN (without it: guardrail checks score the text)")
    .option('--guardrail-version <version>', 'DRAFT or a version number', 'DRAFT')
    .addOption(
      new Option('--source <source>', 'check it as what a user sends (input) or as what a model answered (output)')
        .choices(['input', 'output'])
        .makeOptionMandatory(),
    )
    .option('--json', 'print one report object')
    .action(async (file: string, opts: GuardrailCheckOptions) =>
      withHost({}, (host) => guardrailCheckCommand(host, file, opts, controller.signal)),
    );

  const batchJob = program
    .command('batch-job')
    .description('Bedrock batch inference: the rows as one job, at about half the on-demand price');
  batchJob
    .command('start')
    .description('render and scan every row, upload the records to S3 and start the job (prints its ARN)')
    .argument('<file>', 'the .prompt file')
    .argument('<rows>', 'the rows: .jsonl, .csv or .json (100 to 50,000)')
    .requiredOption('--s3 <s3://bucket/prefix/>', "where the job's input and output go")
    .requiredOption('--role <arn>', 'an IAM role Bedrock can assume, with access to that S3 location')
    .option('-o, --output <file>', 'where collect writes the results (default: <rows>.results.jsonl)')
    .option('-m, --model <id>', "run on this model instead of the file's")
    .option('--job-name <name>', "the job's name (default: the prompt's name and the time)")
    .option('--max-cost <usd>', 'upload nothing when the estimate at batch prices can exceed this', Number)
    .action(async (file: string, rows: string, opts: BatchJobStartOptions) =>
      withHost({}, (host) => batchJobStart(host, file, rows, { ...opts, quiet: program.opts<GlobalOptions>().quiet })),
    );
  batchJob
    .command('status')
    .description('the status of jobs (default: every job started from this folder)')
    .argument('[arns...]', 'job ARNs')
    .option('--json', 'print the jobs as JSON')
    .option('--wait', 'poll until every job has ended (exit 4 when one failed, stopped or expired)')
    .option('--interval <seconds>', 'with --wait: seconds between polls', Number, 30)
    .action(async (arns: string[], opts: { json?: boolean; wait?: boolean; interval: number }) =>
      withHost({}, (host) =>
        batchJobStatus(host, arns, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );
  batchJob
    .command('collect')
    .description("bring a completed job's results back as the results JSONL a rows run writes")
    .argument('<arn>', 'the job ARN (prompt-lab batch-job start printed it)')
    .option('-o, --output <file>', 'write here instead of where start said')
    .action(async (arn: string, opts: { output?: string }) =>
      withHost({}, (host) => batchJobCollect(host, arn, { ...opts, quiet: program.opts<GlobalOptions>().quiet })),
    );

  program
    .command('dataset')
    .description(
      "build a customization dataset (train.jsonl, validation.jsonl, dataset-report.md), as the editor's Create Fine-tuning Dataset",
    )
    .argument('[paths...]', 'files or folders in the working folder (default: the working folder)')
    .requiredOption(
      '-m, --model <id>',
      'the base model to customize (its customization variant, e.g. amazon.nova-lite-v1:0:300k)',
    )
    .addOption(
      new Option(
        '-t, --type <type>',
        'fine-tuning (labelled examples), continued-pretraining (plain text), distillation (prompts; the teacher answers) or reinforcement-fine-tuning (prompts with reference answers)',
      )
        .choices(Object.keys(DATASET_TYPES))
        .default('fine-tuning'),
    )
    .option('-o, --output <dir>', 'the output folder (default: datasets/<model>-<time>)')
    .option(
      '--validation-split <share>',
      'the share of records held out for validation (0 to 0.5; default 0.1 where the model takes one)',
      Number,
    )
    .option('--seed <n>', 'the seed of the split (the same seed gives the same split)', Number)
    .addOption(
      new Option('--secrets <mode>', 'a secret in the data stops the build (block) or is masked (redact)')
        .choices(['block', 'redact'])
        .default('block'),
    )
    .option('--json', 'print the report as JSON')
    .action(async (paths: string[], opts: Omit<DatasetCommandOptions, 'quiet'>) =>
      withHost({}, (host) =>
        datasetCommand(host, paths, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );

  const customize = program
    .command('customize')
    .description('model customization jobs: start one, follow its stages, read its loss');
  customize
    .command('start')
    .description('check the job against its kind, then start it (prints its ARN)')
    .requiredOption(
      '-m, --model <id>',
      'the base model (for distillation, the student), e.g. amazon.nova-micro-v1:0:128k',
    )
    .addOption(
      new Option('-t, --type <type>', 'the kind of customization')
        .choices(Object.keys(DATASET_TYPES))
        .default('fine-tuning'),
    )
    .requiredOption('--output <s3://bucket/prefix/>', 'where the job writes its results and metrics')
    .requiredOption('--role <arn>', 'an IAM role Bedrock can assume, with access to the data and the output')
    .option('--train <s3://…/train.jsonl>', 'the training data (prompt-lab dataset builds it)')
    .option('--validation <s3://…/validation.jsonl>', 'validation data (fine-tuning and continued pre-training)')
    .option('--invocation-logs <s3://…/>', "distillation: learn from the account's model invocation logs instead")
    .option('--use-logged-answers', "with --invocation-logs: train on the logged answers, not the teacher's")
    .option('--teacher <id>', 'distillation: the teacher model or inference profile')
    .option('--max-response-tokens <n>', 'distillation: the longest teacher answer, in tokens', Number)
    .option(
      '--grader <lambda-arn>',
      'reinforcement fine-tuning: the Lambda function that scores answers (the only grader the API takes)',
    )
    .option(
      '--rft-hyperparameters <pairs>',
      'reinforcement fine-tuning: epochCount=2 batchSize=64 reasoningEffort=low …',
    )
    .option('--hyperparameters <pairs>', "fine-tuning: epochCount=2,learningRate=0.00001 (default: the model's)")
    .option('--job-name <name>', "the job's name (default: the model and the time)")
    .option('--model-name <name>', "the custom model's name")
    .action(async (opts: Omit<CustomizeStartOptions, 'quiet'>) =>
      withHost({}, (host) => customizeStart(host, { ...opts, quiet: program.opts<GlobalOptions>().quiet })),
    );
  customize
    .command('status')
    .description("jobs with their status and, while they run, their stage (default: the account's jobs)")
    .argument('[jobs...]', 'job ARNs or names')
    .option('--json', 'print the jobs as JSON')
    .option('--wait', 'poll until the jobs have ended (exit 4 when one failed or was stopped)')
    .option('--interval <seconds>', 'with --wait: seconds between polls', Number, 30)
    .action(async (jobs: string[], opts: { json?: boolean; wait?: boolean; interval: number }) =>
      withHost({}, (host) =>
        customizeStatus(host, jobs, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );
  customize
    .command('loss')
    .description("a completed job's training and validation loss, from the metrics files in its output (CSV)")
    .argument('<job>', 'the job ARN or name')
    .option('--json', 'print the curves as JSON')
    .action(async (job: string, opts: { json?: boolean }) =>
      withHost({}, (host) =>
        customizeLoss(host, job, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );

  const kb = program.command('kb').description('knowledge bases: list them, test what a query retrieves');
  kb.command('list')
    .description("the account's knowledge bases with their type, status and data sources")
    .option('--json', 'print them as JSON')
    .action(async (opts: { json?: boolean }) => withHost({}, (host) => knowledgeBaseList(host, opts)));
  kb.command('retrieve')
    .description("the passages a query retrieves, ranked, without generating (as the editor's Test Retrieval)")
    .argument('<id>', 'the knowledge base id')
    .argument('<query>', 'what a user would ask')
    .option('-n, --results <n>', 'how many passages (1 to 100; default 5)', Number)
    .addOption(new Option('--search-type <type>', 'override the search type').choices(['HYBRID', 'SEMANTIC']))
    .option('--json', 'print the passages as JSON')
    .action(
      async (
        id: string,
        query: string,
        opts: { results?: number; searchType?: 'HYBRID' | 'SEMANTIC'; json?: boolean },
      ) => withHost({}, (host) => knowledgeBaseRetrieve(host, id, query, opts, controller.signal)),
    );

  program
    .command('cases')
    .description('test cases: generate new ones with a model (review, then --write)')
    .command('generate')
    .description("a model proposes new, varied cases (edge and adversarial ones too) for the prompt's .tests.yaml")
    .argument('<prompt>', 'the .prompt file')
    .requiredOption('-m, --model <id>', 'the model that proposes the cases (one with tool use)')
    .option('-n, --count <n>', 'how many cases (1 to 20; default 5)', Number)
    .option('--write', 'append them to <name>.tests.yaml (created when missing), comments kept')
    .option('--json', 'print the proposal as JSON')
    .action(async (file: string, opts: { model: string; count?: number; write?: boolean; json?: boolean }) =>
      withHost({}, (host) =>
        casesGenerate(host, file, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );

  program
    .command('optimize')
    .description(
      "a model proposes rewrites of the prompt's template, each scored on a training share of its test cases; the best is checked on the held-out share and printed as a diff (--write writes it). With --bedrock: Bedrock's OptimizePrompt rewrites it for its model instead",
    )
    .argument('<prompt>', 'the .prompt file (its cases: <name>.tests.yaml)')
    .option('-m, --model <id>', 'the model that proposes the rewrites (one with tool use)')
    .option('--bedrock', "use Bedrock's OptimizePrompt (AWS credentials; no tests needed)")
    .option('--target <model>', "with --bedrock: the model to optimize for (default: the prompt's)")
    .option('--rounds <n>', 'rounds of proposals at most (1 to 10)', Number, 3)
    .option('--candidates <n>', 'rewrites asked for in each round (1 to 5)', Number, 2)
    .option('--validation-split <share>', 'the share of the cases held out to check the winner (0 to 0.5)', Number, 0.3)
    .option('--budget <usd>', 'start no new round once this much is spent (proposals, cases, the judge)', Number)
    .option('--on <model>', "run the cases on this model instead of the tests file's or the prompt's")
    .option('--concurrency <n>', 'cases at once', Number, 4)
    .option(
      '--write',
      'write the result into the prompt (not a rewrite worse on the held-out cases, nor an optimized prompt that reads the inputs differently)',
    )
    .option('--json', 'print every round and the result as JSON')
    .action(async (file: string, opts: Omit<OptimizeCommandOptions, 'quiet'>) =>
      withHost({}, (host) =>
        optimizeCommand(host, file, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );

  const repeatable = (value: string, previous: string[] = []) => [...previous, value];
  const optimizeJob = program
    .command('optimize-job')
    .description(
      "Bedrock's Advanced Prompt Optimization: prompts and their test cases as a job, the optimized variants back beside them",
    );
  optimizeJob
    .command('start')
    .description(
      "build the input from the prompts and their cases' reference answers, check the limits, scan for secrets, upload it and start the job (prints its ARN)",
    )
    .argument('<prompts...>', 'the .prompt files (each with its .tests.yaml; at most 10)')
    .requiredOption('--s3 <s3://bucket/prefix/>', "where the job's input and output go")
    .option('-m, --model <id>', "a target model (repeat for up to 5; default: the prompts' models)", repeatable)
    .addOption(
      new Option('--method <method>', 'how the optimizer scores answers')
        .choices(['default', 'steering', 'judge', 'lambda'])
        .default('default'),
    )
    .option('--criteria <text>', "a steering criterion (repeat; default: the tests files' rubrics)", repeatable)
    .option('--judge-model <id>', "with --method judge: the judge model (default: the tests file's judge)")
    .option('--judge-prompt <file>', "with --method judge: the judge's instructions")
    .option('--lambda <arn>', 'with --method lambda: the evaluation function')
    .option('--shorten', 'prefer a shorter prompt that scores at least as well')
    .option('--job-name <name>', "the job's name (default: optimize-<prompt> and the time)")
    .option('--json', 'print the started job as JSON')
    .action(async (files: string[], opts: Omit<OptimizeJobStartOptions, 'quiet'>) =>
      withHost({}, (host) => optimizeJobStart(host, files, { ...opts, quiet: program.opts<GlobalOptions>().quiet })),
    );
  optimizeJob
    .command('status')
    .description('the status of jobs (default: every job started from this folder)')
    .argument('[arns...]', 'job ARNs')
    .option('--json', 'print the jobs as JSON')
    .option('--wait', 'poll until every job has ended (exit 4 when one failed or was stopped)')
    .option('--interval <seconds>', 'with --wait: seconds between polls', Number, 60)
    .action(async (arns: string[], opts: { json?: boolean; wait?: boolean; interval: number }) =>
      withHost({}, (host) =>
        optimizeJobStatus(host, arns, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );
  optimizeJob
    .command('collect')
    .description(
      "bring a finished job's results back: each model's optimized prompt beside the original (name.<model>.prompt) and an evaluation record with the scores before and after",
    )
    .argument('<arn>', 'the job ARN (prompt-lab optimize-job start printed it)')
    .option('--json', 'print the variants and scores as JSON')
    .action(async (arn: string, opts: { json?: boolean }) =>
      withHost({}, (host) => optimizeJobCollect(host, arn, { ...opts, quiet: program.opts<GlobalOptions>().quiet })),
    );
  optimizeJob
    .command('stop')
    .description('stop a job in progress')
    .argument('<arn>', 'the job ARN')
    .action(async (arn: string) => withHost({}, (host) => optimizeJobStop(host, arn)));

  const managed = program
    .command('managed-prompt')
    .description('Bedrock Prompt Management: publish a .prompt as a managed prompt, list, import, run a version');
  managed
    .command('publish')
    .description(
      'the prompt and its variants (name.<variant>.prompt) as a managed prompt (created, or the one with its name updated), then a version of it (prints its ARN)',
    )
    .argument('<prompt>', 'the .prompt file')
    .option('--name <name>', "the managed prompt's name (default: the file's)")
    .option('--description <text>', "the prompt's description (default: the frontmatter's)")
    .option('--version-description <text>', 'what this version changes')
    .option('--no-variants', 'only the prompt itself, not name.<variant>.prompt beside it')
    .option('--json', 'print the prompt and its version as JSON')
    .action(
      async (
        file: string,
        opts: { name?: string; description?: string; versionDescription?: string; variants: boolean; json?: boolean },
      ) =>
        withHost({}, (host) =>
          managedPromptPublish(host, file, { ...opts, quiet: program.opts<GlobalOptions>().quiet }),
        ),
    );
  managed
    .command('list')
    .description("the account's managed prompts, or the versions of one")
    .argument('[prompt]', 'a prompt id or ARN: list its versions')
    .option('--json', 'print them as JSON')
    .action(async (id: string | undefined, opts: { json?: boolean }) =>
      withHost({}, (host) => managedPromptList(host, id, opts)),
    );
  managed
    .command('import')
    .description('a managed prompt (a version, or its draft) as a .prompt file')
    .argument('<prompt>', 'the prompt id or ARN (a version ARN imports that version)')
    .option('--version <n>', 'the version (default: the one the ARN names, else the draft)')
    .option('--variant <name>', 'the variant (default: the default variant)')
    .option('-o, --output <file>', 'the .prompt to write (default: <name>.prompt here)')
    .option('--force', 'replace the file when it exists')
    .action(async (ref: string, opts: { version?: string; variant?: string; output?: string; force?: boolean }) =>
      withHost({}, (host) => managedPromptImport(host, ref, { ...opts, quiet: program.opts<GlobalOptions>().quiet })),
    );
  managed
    .command('run')
    .description(
      "run a managed prompt's version by its ARN with its variables (nothing else is sent: the prompt brings its own configuration)",
    )
    .argument('<arn>', 'the version ARN (…:prompt/<id>:<version>)')
    .option('--input <name=value>', 'a variable (repeat)', repeatable, [])
    .option('--json', 'print the answer, usage and cost as JSON')
    .action(async (arn: string, opts: { input: string[]; json?: boolean }) =>
      withHost({}, (host) =>
        managedPromptRun(host, arn, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );

  const agent = program
    .command('agent')
    .description(
      'AgentCore harnesses: deploy a prompt as an agent, list them (run one with `bedrock.agent` in the prompt)',
    );
  agent
    .command('deploy')
    .description(
      "create the prompt's harness, or update the one `bedrock.agent.harness` names, and wait until it is ready",
    )
    .argument('<file>', 'the .prompt file')
    .option('--role <arn>', 'the IAM role a new harness assumes (default: $BPL_AGENT_ROLE_ARN)')
    .option('--write', "write the new harness's ARN into the prompt's frontmatter (bedrock.agent.harness)")
    .option('--json', 'print the harness as JSON')
    .action(async (file: string, opts: { role?: string; write?: boolean; json?: boolean }) =>
      withHost({}, (host) =>
        agentDeploy(host, file, { ...opts, quiet: program.opts<GlobalOptions>().quiet }, controller.signal),
      ),
    );
  agent
    .command('list')
    .description("the account's agents: harnesses, runtimes and their endpoints, classic agents and their aliases")
    .option('--json', 'print them as JSON')
    .action(async (opts: { json?: boolean }) => withHost({}, (host) => agentList(host, opts)));

  program
    .command('mcp')
    .description('serve run, test, check and estimate to coding agents as an MCP server on stdio')
    .action(async () =>
      withHost({}, async (host) => {
        // Its own bundle (dist/mcp.js): the MCP SDK loads only for this command.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { serveMcp } = require('./mcp') as typeof import('./mcp');
        await serveMcp({ host, version, root: process.cwd(), signal: controller.signal });
        return EXIT.ok;
      }),
    );

  program
    .command('baseline')
    .description('baselines for prompt-lab test --baseline')
    .command('save')
    .description('keep a test result (prompt-lab test --reporter json -o result.json) as the baseline')
    .argument('<result.json>', 'the result to keep')
    .option('-o, --output <file>', 'where to keep it', '.prompt-lab/baseline.json')
    .action(async (result: string, opts: { output: string }) => {
      code = await saveBaseline(result, opts.output);
    });

  program
    .command('check')
    .description("the editor's diagnostics for .prompt files, offline (exit 2 when one has an error)")
    .argument('[paths...]', '.prompt files, or folders to search (default: the current folder)')
    .addOption(
      new Option('-f, --format <format>', 'how to print the problems')
        .choices(['text', 'json', 'sarif'])
        .default('text'),
    )
    .action(async (paths: string[], opts: { format: CheckFormat }) => {
      code = await checkCommand(paths, opts.format, version, program.opts<GlobalOptions>().quiet === true);
    });

  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError)
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (err instanceof BedrockError) return fail(err.message, exitCodeFor(err.code));
    return fail((err as Error)?.message ?? String(err), EXIT.service);
  } finally {
    process.off('SIGINT', onSigint);
  }
  return code;
}

/** The options every command that renders one prompt takes: the file, its inputs, another model. */
function promptOptions(command: Command, modelHelp: string): Command {
  return command
    .argument('<file>', 'the .prompt file')
    .option('-i, --input <name=value>', 'an input value, read by its declared type (repeatable)', collect, [])
    .option('--inputs <file.json>', 'input values from a JSON object')
    .option('-m, --model <id>', modelHelp)
    .addOption(tierOption())
    .addOption(latencyOption());
}

/** The service tier over the file's (`bedrock.serviceTier`); the help says the tiers share one quota. */
function tierOption(): Option {
  return new Option('--service-tier <tier>', `the service tier to ask for. ${TIERS_SHARE_QUOTA}`).choices([
    ...SERVICE_TIERS,
  ]);
}

function latencyOption(): Option {
  return new Option('--latency <latency>', 'standard, or optimized (some models, some Regions)').choices([
    ...LATENCIES,
  ]);
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

if (require.main === module)
  void main(process.argv).then((code) => {
    process.exitCode = code;
  });

/** A number of seconds greater than zero, or a message that names the flag's expected value. */
function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('Give a number of seconds greater than 0.');
  return n;
}
