import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalTraceStore } from '../../../src/core/store/localTraceStore';
import { framedLength } from '../../../src/core/store/recordFrame';
import { StoreError } from '../../../src/core/store/storeError';
import { spanIdOf, traceIdOf } from '../../support/otlpRequests';
import { recordOf } from '../../support/storeRecords';

async function segmentFiles(directory: string): Promise<string[]> {
  return (await readdir(directory)).filter((name) => name.endsWith('.log')).sort();
}

describe('LocalTraceStore persistence', function () {
  this.timeout(30_000);
  let directory: string;
  const open: LocalTraceStore[] = [];

  async function openStore(options: Parameters<typeof LocalTraceStore.open>[0] = {}): Promise<LocalTraceStore> {
    const store = await LocalTraceStore.open({ directory, ...options });
    open.push(store);
    return store;
  }

  async function closeAll(): Promise<void> {
    for (const store of open.splice(0)) await store.close();
  }

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'spanlens-store-'));
  });

  afterEach(async () => {
    await closeAll();
    await rm(directory, { recursive: true, force: true });
  });

  it('replays its log on open: the same traces, spans and indexes', async () => {
    const first = await openStore();
    first.append(recordOf([{ trace: 1, spans: 3, service: 'api' }]));
    first.append(recordOf([{ trace: 2, spans: 2, service: 'billing' }, { trace: 1, spans: 1, service: 'api', startUnixMillis: 1_760_000_000_500 }]));
    const before = first.stats();
    const trace1 = (await first.getTrace(traceIdOf(1))).trace;
    await closeAll();

    const second = await openStore();
    assert.deepEqual(second.replayWarnings, []);
    const after = second.stats();
    assert.deepEqual({ ...after, diskBytes: 0 }, { ...before, diskBytes: 0 });
    assert.ok(after.diskBytes > 0);
    assert.deepEqual((await second.getTrace(traceIdOf(1))).trace, trace1);
    assert.deepEqual(await second.listServices(), ['api', 'billing']);
    // New writes go on after the replayed ones.
    second.append(recordOf([{ trace: 3, spans: 1 }]));
    await closeAll();
    const third = await openStore();
    assert.equal(third.stats().traces, 3);
  });

  it('skips and cuts off a record torn in the middle, and keeps writing after it', async () => {
    const first = await openStore();
    first.append(recordOf([{ trace: 1, spans: 2 }]));
    const lastRecord = recordOf([{ trace: 2, spans: 2 }]);
    first.append(lastRecord);
    await closeAll();
    const [segment] = await segmentFiles(directory);
    const path = join(directory, segment);
    const fullSize = (await stat(path)).size;
    await truncate(path, fullSize - Math.floor(framedLength(lastRecord) / 2));

    const second = await openStore();
    assert.equal(second.replayWarnings.length, 1);
    assert.match(second.replayWarnings[0], /ended with an incomplete record at byte \d+ \(an interrupted write\)/);
    assert.ok(second.hasTrace(traceIdOf(1)));
    assert.ok(!second.hasTrace(traceIdOf(2)));
    assert.equal((await stat(path)).size, fullSize - framedLength(lastRecord), 'the torn tail is cut off');
    second.append(recordOf([{ trace: 3, spans: 1 }]));
    await closeAll();

    const third = await openStore();
    assert.deepEqual(third.replayWarnings, []);
    assert.deepEqual([third.hasTrace(traceIdOf(1)), third.hasTrace(traceIdOf(2)), third.hasTrace(traceIdOf(3))], [true, false, true]);
  });

  it('skips garbage after the last record and a record whose checksum fails', async () => {
    const first = await openStore();
    first.append(recordOf([{ trace: 1, spans: 1 }]));
    first.append(recordOf([{ trace: 2, spans: 1 }]));
    await closeAll();
    const [segment] = await segmentFiles(directory);
    const path = join(directory, segment);
    await appendFile(path, Buffer.from([0x10, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]));
    const second = await openStore();
    assert.equal(second.replayWarnings.length, 1);
    assert.match(second.replayWarnings[0], /a damaged record/);
    assert.equal(second.stats().traces, 2);
    await closeAll();

    // Flip one byte inside the second record's body: its checksum no longer matches.
    const bytes = await readFile(path);
    bytes[bytes.length - 5] ^= 0xff;
    await writeFile(path, bytes);
    const third = await openStore();
    assert.equal(third.replayWarnings.length, 1);
    assert.deepEqual([third.hasTrace(traceIdOf(1)), third.hasTrace(traceIdOf(2))], [true, false]);
  });

  it('deletes segments nothing live is left in, and evicted traces stay evicted after replay', async () => {
    // One record per segment; room for four spans.
    const options = { maxSpans: 4, segmentBytes: 1 };
    const first = await openStore(options);
    first.append(recordOf([{ trace: 0, spans: 2 }]));
    first.append(recordOf([{ trace: 1, spans: 1 }]));
    first.append(recordOf([{ trace: 2, spans: 1 }]));
    // Trace 0 gains a span later, so when it is evicted one of its records stays on disk.
    first.append(recordOf([{ trace: 0, spans: 1, startUnixMillis: 1_760_000_000_900 }]));
    for (let trace = 3; trace <= 5; trace++) first.append(recordOf([{ trace, spans: 1 }]));
    await first.flush();
    const live = [0, 1, 2, 3, 4, 5].filter((trace) => first.hasTrace(traceIdOf(trace)));
    assert.deepEqual(live, [2, 3, 4, 5]);
    assert.equal(first.stats().evictedSpans, 4);
    const files = await segmentFiles(directory);
    assert.equal(files[0], 'segment-00000003.log', `the segments of evicted records are still there: ${files.join(', ')}`);
    let diskBytes = 0;
    for (const file of files) diskBytes += (await stat(join(directory, file))).size;
    assert.equal(diskBytes, first.stats().diskBytes);
    await closeAll();

    const second = await openStore(options);
    assert.deepEqual([0, 1, 2, 3, 4, 5].filter((trace) => second.hasTrace(traceIdOf(trace))), live);
    assert.equal(second.stats().spans, 4);
  });

  it('clear() deletes the log', async () => {
    const first = await openStore();
    first.append(recordOf([{ trace: 1, spans: 1 }]));
    await first.clear();
    assert.equal(first.stats().traces, 0);
    first.append(recordOf([{ trace: 2, spans: 1 }]));
    await closeAll();
    const second = await openStore();
    assert.deepEqual([second.hasTrace(traceIdOf(1)), second.hasTrace(traceIdOf(2))], [false, true]);
  });

  it('locks its directory against a second writer; a read-only store reads alongside', async () => {
    const writer = await openStore();
    await assert.rejects(LocalTraceStore.open({ directory }), (error: unknown) => error instanceof StoreError && error.kind === 'locked');
    writer.append(recordOf([{ trace: 1, spans: 2 }]));
    await writer.flush();
    const reader = await openStore({ readOnly: true });
    assert.equal(reader.stats().spans, 2);
    assert.deepEqual((await reader.getTrace(traceIdOf(1))).trace.spans.map((span) => span.spanId), [spanIdOf(1, 0), spanIdOf(1, 1)]);
    assert.throws(() => reader.append(recordOf([{ trace: 2, spans: 1 }])), StoreError);
  });

  it('keeps what a crashed process wrote, and takes over its stale lock', async () => {
    const child = join(__dirname, '../../support/storeCrashChild.ts');
    await new Promise<void>((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', child, directory, '20'], { cwd: join(__dirname, '../../..') }, () => resolve());
    });
    assert.ok((await readdir(directory)).includes('store.lock'), 'the crashed process left no lock');
    const store = await openStore();
    assert.equal(store.stats().traces, 20);
    assert.equal((await store.getTrace(traceIdOf(19))).trace.spans.length, 1);
  });
});
