import { strict as assert } from 'node:assert';
import { parseOptions, UsageError } from '../../../samples/ai-app/src/options';

describe('samples/ai-app options', () => {
  it('defaults to one run of 20 requests exported as OTLP protobuf to 127.0.0.1:4318', () => {
    assert.deepEqual(parseOptions([], {}), {
      help: false,
      mode: 'once',
      requests: 20,
      ratePerSecond: 2,
      concurrency: 4,
      protocol: 'http/protobuf',
      exportUrl: 'http://127.0.0.1:4318/v1/traces',
      seed: 42,
      pathPrefix: undefined,
      port: 0,
      timeScale: 1,
    });
  });

  it('reads every flag', () => {
    const options = parseOptions(
      ['--loop', '--requests', '7', '--rate', '0.5', '--concurrency', '3', '--protocol', 'http/json', '--endpoint', 'http://collector:9999/', '--seed', '9', '--path-prefix', '/app/', '--port', '8080', '--time-scale', '0.1'],
      {},
    );
    assert.equal(options.mode, 'loop');
    assert.equal(options.requests, 7);
    assert.equal(options.ratePerSecond, 0.5);
    assert.equal(options.concurrency, 3);
    assert.equal(options.protocol, 'http/json');
    assert.equal(options.exportUrl, 'http://collector:9999/v1/traces');
    assert.equal(options.seed, 9);
    assert.equal(options.pathPrefix, '/app');
    assert.equal(options.port, 8080);
    assert.equal(options.timeScale, 0.1);
  });

  it('runs without a request limit with --loop unless --requests is given', () => {
    assert.equal(parseOptions(['--loop'], {}).requests, undefined);
  });

  it('exports gRPC to the endpoint origin, 127.0.0.1:4317 by default', () => {
    assert.equal(parseOptions(['--protocol', 'grpc'], {}).exportUrl, 'http://127.0.0.1:4317');
    assert.equal(parseOptions(['--protocol', 'grpc', '--endpoint', 'http://otel:4317/'], {}).exportUrl, 'http://otel:4317');
  });

  it('does not append /v1/traces twice', () => {
    assert.equal(parseOptions(['--endpoint', 'http://127.0.0.1:4318/v1/traces'], {}).exportUrl, 'http://127.0.0.1:4318/v1/traces');
  });

  it('falls back to the OTEL_EXPORTER_OTLP_* variables, the signal-specific endpoint used as is', () => {
    assert.deepEqual(pick(parseOptions([], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://localhost:5318', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })), ['http/json', 'http://localhost:5318/v1/traces']);
    assert.deepEqual(pick(parseOptions([], { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://localhost:5318/custom', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:1' })), ['http/protobuf', 'http://localhost:5318/custom']);
    assert.deepEqual(pick(parseOptions([], { OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' })), ['grpc', 'http://127.0.0.1:4317']);
    assert.deepEqual(pick(parseOptions(['--protocol', 'http/protobuf', '--endpoint', 'http://flag:1'], { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://env:2', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })), ['http/protobuf', 'http://flag:1/v1/traces']);
    assert.equal(parseOptions([], { AI_APP_PATH_PREFIX: '/srv/app' }).pathPrefix, '/srv/app');
  });

  it('rejects bad input with a message naming the flag', () => {
    const cases: [string[], Record<string, string>, RegExp][] = [
      [['--once', '--loop'], {}, /--once and --loop cannot be combined/],
      [['--requests', '1.5'], {}, /--requests must be a whole number from 1 to 1000000, not "1.5"/],
      [['--requests', '0'], {}, /--requests must be a whole number/],
      [['--rate', 'fast'], {}, /--rate must be a number/],
      [['--port', '70000'], {}, /--port must be a whole number from 0 to 65535/],
      [['--time-scale', '0'], {}, /--time-scale must be a number/],
      [['--protocol', 'udp'], {}, /--protocol must be one of http\/protobuf, http\/json, grpc, not "udp"/],
      [[], { OTEL_EXPORTER_OTLP_PROTOCOL: 'zipkin' }, /OTEL_EXPORTER_OTLP_PROTOCOL must be one of/],
      [['--endpoint', 'localhost:4318'], {}, /--endpoint must be an http or https URL/],
      [['--endpoint', 'not a url'], {}, /--endpoint must be a URL/],
      [['--path-prefix', 'app'], {}, /--path-prefix must be an absolute path/],
      [['--bogus'], {}, /--bogus/],
      [['extra'], {}, /extra/],
    ];
    for (const [argv, env, message] of cases) {
      assert.throws(() => parseOptions(argv, env), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
    }
  });

  it('honours --help even when other settings are wrong', () => {
    assert.equal(parseOptions(['--help'], { OTEL_EXPORTER_OTLP_PROTOCOL: 'zipkin' }).help, true);
    assert.equal(parseOptions(['-h', '--rate', 'fast'], {}).help, true);
  });
});

function pick(options: ReturnType<typeof parseOptions>): [string, string] {
  return [options.protocol, options.exportUrl];
}
