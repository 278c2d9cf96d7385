// Runs in a worker thread of its own (codeInsights.bench.ts starts it), so its heap is fresh: the path from
// OTLP protobuf request bodies to latency statistics per workspace function, stage by stage and end to end,
// pass after pass on this one thread. The stages are the extension's own:
// - decode: runIngestJob, what the OTLP worker does per request (protobuf read, checks, store record);
// - store + feed: LocalTraceStore.append, then CodeSampleFeed reading the settled traces' rows into samples;
// - map: SourceResolver.cached for each sample, on a resolver the extension has already warmed;
// - aggregate: CodeStatsAggregator.add for each sample;
// - snapshot: CodeStatsAggregator.snapshot and the mapping of its rows, as each lens refresh does.
// End to end twice: as the extension runs it, the decode on the OTLP worker thread (OtlpWorkerClient, the
// extension's own) while this thread stores, feeds, maps and aggregates what comes back; and all on this
// one thread.
// For comparison, without the store: protobufjs's read of the requests alone (the floor of any decode), and
// decodeOtlpPayload → samplesFromTrace → map → aggregate, the path sampled remote traces take.

import { parentPort, workerData } from 'node:worker_threads';
import { SourceResolver } from '../src/core/codeMapping/sourceResolver';
import type { SpanCodeLocation } from '../src/core/codeMapping/spanCodeLocation';
import { WorkspaceFileIndex } from '../src/core/codeMapping/workspaceFileIndex';
import { decodeOtlpPayload, readProtobufRequest } from '../src/core/otlp/decodeOtlpPayload';
import { runIngestJob } from '../src/core/otlpWorker/otlpJobs';
import { OtlpWorkerClient } from '../src/core/otlpWorker/otlpWorkerClient';
import { CodeStatsAggregator } from '../src/core/stats/codeStatsAggregator';
import type { CodeSpanSample } from '../src/core/stats/codeSpanSample';
import { samplesFromTrace } from '../src/core/stats/samplesFromTrace';
import { CodeSampleFeed } from '../src/core/store/codeSampleFeed';
import { LocalTraceStore } from '../src/core/store/localTraceStore';
import type { FramedRecord } from '../src/core/store/recordFrame';
import { median } from './measure';

export interface PipelineJob {
  /** This file, for the bootstrap that loads it. */
  readonly entry: string;
  /** The OTLP worker's entry point (TypeScript; the worker inherits the tsx loader). */
  readonly otlpWorkerEntry: string;
  readonly bodies: readonly Uint8Array[];
  readonly spanCount: number;
  readonly workspaceRoot: string;
  readonly workspaceFiles: readonly string[];
  /** Unix ms the aggregator takes as now; the spans started within the window before it. */
  readonly nowUnixMillis: number;
  readonly windowMillis: number;
  readonly warmUp: number;
  readonly runs: number;
}

export type PipelineStage = 'decode' | 'storeAndFeed' | 'map' | 'aggregate' | 'snapshot' | 'endToEnd' | 'endToEndOneThread' | 'protobufRead' | 'direct';

export interface StageTimes {
  readonly fastestMillis: number;
  readonly medianMillis: number;
}

export interface PipelineResult {
  readonly stages: Readonly<Record<PipelineStage, StageTimes>>;
  /** Distinct code locations, and how many resolved onto the right workspace file. */
  readonly locations: number;
  readonly resolvedLocations: number;
  /** Resolving every distinct location once on a cold resolver, as after start-up or a file change. */
  readonly coldResolveMillis: number;
  /** Rows of the final snapshot (location × service). */
  readonly rows: number;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;
const PROTOBUF = { encoding: 'protobuf', compression: 'none' } as const;

function decode(bodies: readonly Uint8Array[]): FramedRecord[] {
  const records: FramedRecord[] = [];
  for (const body of bodies) {
    const result = runIngestJob({ body, format: PROTOBUF, maxDecompressedBytes: MAX_BODY_BYTES });
    if (!result.ok || result.record === undefined) throw new Error('a generated request failed to decode');
    records.push(result.record);
  }
  return records;
}

function openStore(): Promise<LocalTraceStore> {
  return LocalTraceStore.open({ maxSpans: 100_000_000, maxBytes: 64 * 1024 * 1024 * 1024 });
}

/** Appends the records and reads every trace's samples, as the feed does once traces settle. */
function storeAndFeed(store: LocalTraceStore, records: readonly FramedRecord[]): CodeSpanSample[] {
  let samples: CodeSpanSample[] = [];
  const feed = new CodeSampleFeed(store, {
    settleMillis: 0,
    onSamples: (batch) => {
      samples = samples.concat(batch);
    },
    onReset: () => {
      samples = [];
    },
  });
  feed.start();
  for (const record of records) store.append(record);
  feed.flush();
  feed.dispose();
  return samples;
}

function map(resolver: SourceResolver, samples: readonly CodeSpanSample[]): number {
  let resolved = 0;
  for (let i = 0; i < samples.length; i++) {
    if (resolver.cached(samples[i].location)?.kind === 'resolved') resolved++;
  }
  return resolved;
}

function aggregate(job: PipelineJob, samples: readonly CodeSpanSample[]): CodeStatsAggregator {
  const aggregator = new CodeStatsAggregator({ windowMillis: job.windowMillis, now: () => job.nowUnixMillis });
  for (let i = 0; i < samples.length; i++) aggregator.add(samples[i]);
  return aggregator;
}

/** The snapshot a lens refresh reads, with each row mapped; returns the rows that resolved. */
function snapshotAndMap(aggregator: CodeStatsAggregator, resolver: SourceResolver): { rows: number; resolved: number } {
  const { rows } = aggregator.snapshot();
  let resolved = 0;
  for (const row of rows) if (resolver.cached(row.location)?.kind === 'resolved') resolved++;
  return { rows: rows.length, resolved };
}

/** Spans in the requests, as protobufjs reads them; nothing else. */
function protobufRead(bodies: readonly Uint8Array[]): number {
  let spans = 0;
  for (const body of bodies) {
    for (const resourceSpans of readProtobufRequest(body).resourceSpans) {
      for (const scopeSpans of resourceSpans.scopeSpans) spans += scopeSpans.spans.length;
    }
  }
  return spans;
}

/** Requests to model traces to samples, mapped and aggregated, with no store between; returns the samples. */
function direct(job: PipelineJob, resolver: SourceResolver): number {
  const aggregator = new CodeStatsAggregator({ windowMillis: job.windowMillis, now: () => job.nowUnixMillis });
  let samples = 0;
  for (const body of job.bodies) {
    for (const decodedTrace of decodeOtlpPayload(body, PROTOBUF, { maxDecompressedBytes: MAX_BODY_BYTES }).traces) {
      for (const sample of samplesFromTrace(decodedTrace)) {
        if (resolver.cached(sample.location)?.kind !== 'resolved') throw new Error(`${sample.location.functionName} did not resolve`);
        aggregator.add(sample);
        samples++;
      }
    }
  }
  return samples;
}

/** Requests in flight at once, as several exporters keep the receiver busy; below the client's limit of 64. */
const REQUESTS_IN_FLIGHT = 8;

/**
 * The extension's path: each request goes to the OTLP worker thread, and this thread appends the record
 * that comes back while the worker decodes the next; the feed reads traces between appends, as its timer
 * lets it, and its samples are mapped and aggregated at once. Ends with the snapshot a lens refresh reads.
 */
async function endToEndOnTwoThreads(job: PipelineJob, resolver: SourceResolver, otlp: OtlpWorkerClient): Promise<{ millis: number; mappedSpans: number; rows: number }> {
  const store = await openStore();
  const aggregator = new CodeStatsAggregator({ windowMillis: job.windowMillis, now: () => job.nowUnixMillis });
  let mappedSpans = 0;
  const feed = new CodeSampleFeed(store, {
    settleMillis: 0,
    onSamples: (batch) => {
      for (let i = 0; i < batch.length; i++) {
        const sample = batch[i];
        if (resolver.cached(sample.location)?.kind === 'resolved') mappedSpans++;
        aggregator.add(sample);
      }
    },
    onReset: () => {
      throw new Error('the store was cleared during the run');
    },
  });
  // Bodies are transferred to the worker; the copies are made before the clock starts.
  const bodies = job.bodies.map((body) => body.slice());
  const started = performance.now();
  feed.start();
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < bodies.length) {
      const result = await otlp.ingest({ body: bodies[next++], format: PROTOBUF, maxDecompressedBytes: MAX_BODY_BYTES });
      if (!result.ok || result.record === undefined) throw new Error('a generated request failed to decode');
      store.append(result.record);
    }
  };
  await Promise.all(Array.from({ length: REQUESTS_IN_FLIGHT }, lane));
  feed.flush();
  const rows = snapshotAndMap(aggregator, resolver).rows;
  const millis = performance.now() - started;
  feed.dispose();
  await store.close();
  return { millis, mappedSpans, rows };
}

/** The distinct code locations of the requests' spans, read through the store as the extension reads them. */
function firstLocations(job: PipelineJob, store: LocalTraceStore): SpanCodeLocation[] {
  const samples = storeAndFeed(store, decode(job.bodies));
  if (samples.length !== job.spanCount) throw new Error(`${samples.length} samples from ${job.spanCount} spans`);
  return distinctLocations(samples);
}

function distinctLocations(samples: readonly CodeSpanSample[]): SpanCodeLocation[] {
  const byKey = new Map<string, SpanCodeLocation>();
  for (const { location } of samples) byKey.set(`${location.functionName}\u0000${location.filePath}\u0000${location.lineNumber}`, location);
  return [...byKey.values()];
}

function newResolver(job: PipelineJob): SourceResolver {
  const fileIndex = new WorkspaceFileIndex([job.workspaceRoot]);
  fileIndex.add(job.workspaceFiles);
  return new SourceResolver({ fileIndex });
}

async function measure(job: PipelineJob): Promise<PipelineResult> {
  // What the running extension has before spans arrive: an indexed workspace and resolutions of the
  // locations seen so far (the first spans of each location pay for a resolution, once).
  const firstStore = await openStore();
  const locations = firstLocations(job, firstStore);
  await firstStore.close();
  const cold = newResolver(job);
  const coldStarted = performance.now();
  for (const location of locations) await cold.resolve(location);
  const coldResolveMillis = performance.now() - coldStarted;
  const resolver = newResolver(job);
  let resolvedLocations = 0;
  for (const location of locations) {
    const resolution = await resolver.resolve(location);
    // The service's own file (services/<name>/src/…), not the old copy that shares its name.
    const expectedEnd = location.filePath?.replace(/^\/app\//, '/') ?? '';
    const local = resolution.kind === 'resolved' ? resolution.location.filePath : '';
    if (local.startsWith(`${job.workspaceRoot}/services/`) && local.endsWith(expectedEnd)) resolvedLocations++;
  }

  const times: Record<PipelineStage, number[]> = {
    decode: [],
    storeAndFeed: [],
    map: [],
    aggregate: [],
    snapshot: [],
    endToEnd: [],
    endToEndOneThread: [],
    protobufRead: [],
    direct: [],
  };
  const otlp = new OtlpWorkerClient({ workerPath: job.otlpWorkerEntry });
  // End to end, decoding on the OTLP worker thread: its passes first and on their own, so the heap holds
  // what the extension's would (the store, the statistics), not the stage passes' records and samples.
  let rows = 0;
  for (let pass = 0; pass < job.warmUp + job.runs; pass++) {
    const twoThreads = await endToEndOnTwoThreads(job, resolver, otlp);
    if (pass >= job.warmUp) times.endToEnd.push(twoThreads.millis);
    if (twoThreads.mappedSpans !== job.spanCount || (pass > 0 && twoThreads.rows !== rows)) {
      throw new Error(`end-to-end pass ${pass}: ${twoThreads.mappedSpans} of ${job.spanCount} spans mapped, ${twoThreads.rows} rows`);
    }
    rows = twoThreads.rows;
  }
  await otlp.close();

  const time = <T>(stage: PipelineStage, pass: number, task: () => T): T => {
    const started = performance.now();
    const result = task();
    if (pass >= job.warmUp) times[stage].push(performance.now() - started);
    return result;
  };
  for (let pass = 0; pass < job.warmUp + job.runs; pass++) {
    // Stage by stage.
    const records = time('decode', pass, () => decode(job.bodies));
    const store = await openStore();
    const samples = time('storeAndFeed', pass, () => storeAndFeed(store, records));
    const mapped = time('map', pass, () => map(resolver, samples));
    const aggregator = time('aggregate', pass, () => aggregate(job, samples));
    const snapshot = time('snapshot', pass, () => snapshotAndMap(aggregator, resolver));
    await store.close();
    if (samples.length !== job.spanCount || mapped !== samples.length || snapshot.resolved !== snapshot.rows) {
      throw new Error(`pass ${pass}: ${samples.length} samples of ${job.spanCount} spans, ${mapped} mapped, ${snapshot.resolved} of ${snapshot.rows} rows resolved`);
    }
    if (snapshot.rows !== rows) throw new Error(`pass ${pass}: ${snapshot.rows} rows, ${rows} end to end`);

    // End to end, all on this thread.
    const endToEndStore = await openStore();
    const endToEnd = time('endToEndOneThread', pass, () => {
      const fed = storeAndFeed(endToEndStore, decode(job.bodies));
      const aggregator2 = new CodeStatsAggregator({ windowMillis: job.windowMillis, now: () => job.nowUnixMillis });
      let mappedSpans = 0;
      for (let i = 0; i < fed.length; i++) {
        const sample = fed[i];
        if (resolver.cached(sample.location)?.kind === 'resolved') mappedSpans++;
        aggregator2.add(sample);
      }
      return { mappedSpans, rows: snapshotAndMap(aggregator2, resolver).rows };
    });
    await endToEndStore.close();
    if (endToEnd.mappedSpans !== job.spanCount || endToEnd.rows !== rows) {
      throw new Error(`one-thread end-to-end pass ${pass}: ${endToEnd.mappedSpans} of ${job.spanCount} spans mapped, ${endToEnd.rows} rows`);
    }

    const read = time('protobufRead', pass, () => protobufRead(job.bodies));
    const directSamples = time('direct', pass, () => direct(job, resolver));
    if (read !== job.spanCount || directSamples !== job.spanCount) throw new Error(`pass ${pass}: ${read} spans read, ${directSamples} samples without the store`);
  }

  const summary = (values: readonly number[]): StageTimes => ({ fastestMillis: Math.min(...values), medianMillis: median(values) });
  return {
    stages: {
      decode: summary(times.decode),
      storeAndFeed: summary(times.storeAndFeed),
      map: summary(times.map),
      aggregate: summary(times.aggregate),
      snapshot: summary(times.snapshot),
      endToEnd: summary(times.endToEnd),
      endToEndOneThread: summary(times.endToEndOneThread),
      protobufRead: summary(times.protobufRead),
      direct: summary(times.direct),
    },
    locations: locations.length,
    resolvedLocations,
    coldResolveMillis,
    rows,
  };
}

if (parentPort !== null && workerData !== null) {
  const port = parentPort;
  measure(workerData as PipelineJob).then(
    (result) => port.postMessage(result),
    (error: unknown) => port.postMessage({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
  );
}
