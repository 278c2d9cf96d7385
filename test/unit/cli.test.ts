import { strict as assert } from 'node:assert';
import { runCliCaptured } from '../support/runCliCaptured';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CLI_VERSION } from '../../src/cli/main';
import { parseTraceText } from '../../src/core/formats/parseTraceText';

const repoRoot = path.resolve(__dirname, '..', '..');
const ownFixtures = path.join(repoRoot, 'test', 'fixtures', 'own');
const tempoV1 = path.join(ownFixtures, 'tempo-v1-base64.json');

const cli = runCliCaptured;

const SUMMARY_KEYS = ['format', 'traces', 'spans', 'services', 'roots', 'maxDepth', 'errors', 'warnings'];

describe('spanlens CLI', () => {
  let scratch: string;
  before(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'spanlens-cli-'));
  });
  after(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  describe('inspect', () => {
    it('--json prints exactly the documented keys', async () => {
      const run = await cli(['inspect', tempoV1, '--json']);
      assert.equal(run.code, 0);
      assert.equal(run.stderr, '');
      assert.ok(run.stdout.endsWith('\n'));
      const summary = JSON.parse(run.stdout) as Record<string, unknown>;
      assert.deepEqual(Object.keys(summary), SUMMARY_KEYS);
      assert.deepEqual(summary, {
        format: 'tempo-v1',
        traces: 1,
        spans: 3,
        services: 2,
        roots: 1,
        maxDepth: 2,
        errors: 1,
        warnings: [],
      });
    });

    it('--json lists warnings as strings', async () => {
      const run = await cli(['inspect', '--json', path.join(ownFixtures, 'tempo-v2-partial.json')]);
      const summary = JSON.parse(run.stdout) as { warnings: unknown[]; format: string };
      assert.equal(summary.format, 'tempo-v2');
      assert.deepEqual(summary.warnings, ['Tempo returned a partial trace: trace exceeds max size (max bytes: 5000000), partial trace returned']);
    });

    it('prints a readable summary with warnings', async () => {
      const run = await cli(['inspect', path.join(ownFixtures, 'tempo-v2-partial.json')]);
      assert.equal(run.code, 0);
      const lines = run.stdout.trimEnd().split('\n');
      assert.equal(lines[0], path.join(ownFixtures, 'tempo-v2-partial.json'));
      assert.match(run.stdout, /^ {2}format {7}Tempo trace JSON v2 \(tempo-v2\)$/m);
      assert.match(run.stdout, /^ {2}spans {8}2$/m);
      assert.match(run.stdout, /^ {2}services {5}1$/m);
      assert.match(run.stdout, /^ {2}root spans {3}1$/m);
      assert.match(run.stdout, /^ {2}max depth {4}2$/m);
      assert.match(run.stdout, /^ {2}error spans {2}0$/m);
      assert.match(run.stdout, /^ {2}warnings {5}1$/m);
      assert.match(run.stdout, /^ {4}- Tempo returned a partial trace: /m);
    });

    it('reads standard input for -', async () => {
      const run = await cli(['inspect', '-', '--json'], readFileSync(path.join(ownFixtures, 'otlp-lines.jsonl'), 'utf8'));
      assert.equal(run.code, 0);
      assert.deepEqual(JSON.parse(run.stdout), {
        format: 'otlp-jsonl',
        traces: 2,
        spans: 3,
        services: 2,
        roots: 2,
        maxDepth: 2,
        errors: 0,
        warnings: [],
      });
    });

    it('bad input: exit 1 and one line naming the file and the reason', async () => {
      const broken = path.join(scratch, 'broken.json');
      writeFileSync(broken, '{\n  "resourceSpans": [\n    oops\n');
      const run = await cli(['inspect', broken]);
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, `spanlens: ${broken}: not JSON: Unexpected token 'o' at line 3 column 5\n`);

      const missing = path.join(scratch, 'missing.json');
      assert.deepEqual(await cli(['inspect', missing]), { code: 1, stdout: '', stderr: `spanlens: ${missing}: no such file\n` });
      assert.deepEqual(await cli(['inspect', scratch]), { code: 1, stdout: '', stderr: `spanlens: ${scratch}: is a directory, not a trace file\n` });

      const empty = path.join(scratch, 'empty.json');
      writeFileSync(empty, '');
      assert.deepEqual(await cli(['inspect', empty]), { code: 1, stdout: '', stderr: `spanlens: ${empty}: the file is empty\n` });

      const error = await cli(['inspect', path.join(ownFixtures, 'jaeger-v3-error.json')]);
      assert.equal(error.code, 1);
      assert.match(error.stderr, /^spanlens: .*jaeger-v3-error\.json: Jaeger API v3 returned an error \(HTTP 404\): No traces found\n$/);
    });

    it('refuses a file over 512 MiB before reading it', async () => {
      const huge = path.join(scratch, 'huge.json');
      writeFileSync(huge, '');
      truncateSync(huge, 600 * 1024 * 1024); // sparse: no disk space used
      assert.deepEqual(await cli(['inspect', huge]), {
        code: 1,
        stdout: '',
        stderr: `spanlens: ${huge}: is 600 MiB; the limit is 512 MiB\n`,
      });
      rmSync(huge);
    });

    it('usage errors: exit 2', async () => {
      for (const args of [['inspect'], ['inspect', 'a.json', 'b.json'], ['inspect', '--frobnicate', tempoV1]]) {
        const run = await cli(args);
        assert.equal(run.code, 2, args.join(' '));
        assert.equal(run.stdout, '');
        assert.match(run.stderr, /^spanlens: .+\nRun 'spanlens inspect --help' for usage\.\n$/);
      }
    });
  });

  describe('convert', () => {
    it('writes OTLP JSON to standard output that parses back to the same trace', async () => {
      const run = await cli(['convert', tempoV1, '--to', 'otlp-json']);
      assert.equal(run.code, 0);
      assert.equal(run.stderr, '');
      const converted = parseTraceText(run.stdout);
      const original = parseTraceText(readFileSync(tempoV1, 'utf8'));
      assert.equal(converted.format, 'otlp-json');
      assert.deepEqual(converted.traces, original.traces);
      assert.match(run.stdout, /"traceId":"5b8efff798038103d269b633813fc700"/);
    });

    it('--out writes a file and reports parse warnings on stderr', async () => {
      const out = path.join(scratch, 'out.json');
      const run = await cli(['convert', path.join(ownFixtures, 'tempo-v2-partial.json'), '--to=otlp-json', '--out', out]);
      assert.equal(run.code, 0);
      assert.equal(run.stdout, '');
      assert.equal(run.stderr, 'spanlens: warning: Tempo returned a partial trace: trace exceeds max size (max bytes: 5000000), partial trace returned\n');
      assert.equal(parseTraceText(readFileSync(out, 'utf8')).traces[0].spans.length, 2);
    });

    it('an unwritable --out is exit 1 naming that file', async () => {
      const out = path.join(scratch, 'no-such-dir', 'out.json');
      const run = await cli(['convert', tempoV1, '--to', 'otlp-json', '-o', out]);
      assert.deepEqual(run, { code: 1, stdout: '', stderr: `spanlens: ${out}: no such file\n` });
    });

    it('requires a supported --to', async () => {
      const missing = await cli(['convert', tempoV1]);
      assert.equal(missing.code, 2);
      assert.match(missing.stderr, /^spanlens: missing --to FORMAT \(supported: otlp-json\)\n/);
      const unknown = await cli(['convert', tempoV1, '--to', 'toString']);
      assert.equal(unknown.code, 2);
      assert.match(unknown.stderr, /^spanlens: unsupported --to format "toString" \(supported: otlp-json\)\n/);
    });
  });

  describe('dispatcher', () => {
    it('--help and help <command> print help on stdout', async () => {
      const help = await cli(['--help']);
      assert.equal(help.code, 0);
      assert.match(help.stdout, /^Usage: spanlens <command> \[options\]$/m);
      assert.match(help.stdout, /^ {2}inspect {2}Summarize a trace file/m);
      assert.match(help.stdout, /^ {2}convert {2}Convert a trace file/m);
      const commandHelp = await cli(['help', 'convert']);
      assert.match(commandHelp.stdout, /^Usage: spanlens convert FILE --to FORMAT/);
      const flagHelp = await cli(['inspect', '--help']);
      assert.equal(flagHelp.code, 0);
      assert.match(flagHelp.stdout, /^Usage: spanlens inspect FILE \[--json\]/);
    });

    it('--version prints the package version', async () => {
      const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
      assert.deepEqual(await cli(['--version']), { code: 0, stdout: `${packageJson.version}\n`, stderr: '' });
      assert.equal(CLI_VERSION, packageJson.version);
    });

    it('no arguments or an unknown command: usage on stderr, exit 2', async () => {
      const none = await cli([]);
      assert.equal(none.code, 2);
      assert.match(none.stderr, /^spanlens \S+: /);
      const unknown = await cli(['frobnicate']);
      assert.deepEqual(unknown, {
        code: 2,
        stdout: '',
        stderr: `spanlens: unknown command "frobnicate"\nRun 'spanlens --help' for the list of commands.\n`,
      });
    });
  });

  describe('as a program', () => {
    it('runs from source with tsx, with exit codes', async function () {
      this.timeout(60_000);
      const run = promisify(execFile);
      const entry = path.join(repoRoot, 'src', 'cli', 'main.ts');
      const { stdout } = await run(process.execPath, ['--import', 'tsx', entry, 'inspect', tempoV1, '--json'], { cwd: repoRoot });
      assert.deepEqual(Object.keys(JSON.parse(stdout) as object), SUMMARY_KEYS);
      await assert.rejects(run(process.execPath, ['--import', 'tsx', entry, 'inspect', path.join(scratch, 'nope.json')], { cwd: repoRoot }), (error: unknown) => {
        const failure = error as { code?: number; stderr?: string };
        assert.equal(failure.code, 1);
        assert.match(failure.stderr ?? '', /^spanlens: .*nope\.json: no such file\n$/);
        return true;
      });
    });
  });
});
