import * as vscode from 'vscode';
import { isCancellation } from '../../core/backends/backendError';
import type { CodeStatsSnapshot } from '../../core/stats/codeStats';
import { CodeStatsAggregator } from '../../core/stats/codeStatsAggregator';
import { fetchSampledCodeStats } from '../../core/stats/sampledCodeStats';
import { fetchTempoCodeStats } from '../../core/stats/tempoCodeStats';
import { CodeSampleFeed } from '../../core/store/codeSampleFeed';
import { LocalTraceStore } from '../../core/store/localTraceStore';
import type { ActiveBackend, BackendManager } from '../backends/backendManager';
import { describeError, log } from '../output';

/** How often local statistics are recomputed while spans arrive, and so how often lenses can change. */
const LOCAL_SNAPSHOT_MILLIS = 1000;
/** Samples older than the window drop out of the aggregator's view only when a snapshot is taken. */
const LOCAL_AGING_MILLIS = 60_000;

/** Where the current statistics came from, to open its traces again. */
export interface StatsOrigin {
  readonly active: ActiveBackend;
  /** The embedded or an opened store, when that is the source. */
  readonly store: LocalTraceStore | undefined;
}

/**
 * Latency statistics per code location from the active backend: the local store through a live feed into an
 * aggregator; Tempo by a TraceQL metrics push-down; Jaeger and Zipkin from a bounded sample of recent traces.
 * Remote statistics are fetched on start, on backend or window changes, and on `refresh()`; never on a
 * provide path.
 */
export class CodeStatsSource implements vscode.Disposable {
  private current: CodeStatsSnapshot | undefined;
  private currentOrigin: StatsOrigin | undefined;
  private attachedKey: string | undefined;
  private generation = 0;
  private detach: (() => void) | undefined;
  private remoteFetch: AbortController | undefined;
  private fetchedAtMillis = 0;
  /** A remote backend whose statistics nobody has looked at yet; fetched on wake(). */
  private deferred: { active: ActiveBackend; generation: number } | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  /** Fires when `snapshot()` changed. */
  readonly onDidChange = this.changed.event;

  /** `wanted` says whether anything shows statistics now; remote ones are fetched only then. */
  constructor(
    private readonly backends: BackendManager,
    private windowMillis: number,
    private readonly wanted: () => boolean,
  ) {}

  start(): void {
    this.disposables.push(this.backends.onDidChange(() => void this.attach(false, false)));
    void this.attach(true, false);
  }

  /** Something that shows statistics appeared: fetch the remote ones put off until now. */
  wake(): void {
    const deferred = this.deferred;
    if (deferred === undefined || deferred.generation !== this.generation || !this.wanted()) return;
    this.deferred = undefined;
    void this.fetchRemote(deferred.active, deferred.generation);
  }

  snapshot(): CodeStatsSnapshot | undefined {
    return this.current;
  }

  origin(): StatsOrigin | undefined {
    return this.currentOrigin;
  }

  /** Milliseconds since remote statistics were last fetched; 0 for live local ones. */
  ageMillis(now = Date.now()): number {
    return this.currentOrigin?.store !== undefined || this.fetchedAtMillis === 0 ? 0 : now - this.fetchedAtMillis;
  }

  isRemote(): boolean {
    return this.currentOrigin !== undefined && this.currentOrigin.store === undefined;
  }

  setWindow(windowMillis: number): void {
    if (windowMillis === this.windowMillis) return;
    this.windowMillis = windowMillis;
    void this.attach(true, false);
  }

  /** Fetches remote statistics again, or recomputes local ones. */
  refresh(): Promise<void> {
    return this.attach(true, true);
  }

  dispose(): void {
    this.generation++;
    this.stopCurrent();
    for (const disposable of this.disposables.splice(0)) disposable.dispose();
  }

  /**
   * (Re)connects to the active backend; unless `force`, only when it is another one than before. Remote
   * statistics wait until something shows them, unless `now`.
   */
  private async attach(force: boolean, now: boolean): Promise<void> {
    const config = this.backends.activeConfig();
    const key = config === undefined ? '' : JSON.stringify(config);
    if (!force && key === this.attachedKey) return;
    const generation = ++this.generation;
    const sameBackend = key === this.attachedKey;
    this.attachedKey = key;
    this.stopCurrent();
    if (!sameBackend) this.publish(undefined, undefined);
    if (config === undefined) return;
    let active: ActiveBackend | undefined;
    try {
      active = await this.backends.active();
    } catch (error) {
      log().warn(`Code insights: the backend "${config.name}" is not usable: ${describeError(error)}`);
      return;
    }
    if (active === undefined || generation !== this.generation) return;
    if (active.backend instanceof LocalTraceStore) this.followStore(active, active.backend, generation);
    else if (now || this.wanted()) await this.fetchRemote(active, generation);
    else this.deferred = { active, generation };
  }

  private followStore(active: ActiveBackend, store: LocalTraceStore, generation: number): void {
    const aggregator = new CodeStatsAggregator({ windowMillis: this.windowMillis });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let snapshotVersion = -1;
    const takeSnapshot = (): void => {
      timer = undefined;
      if (generation !== this.generation) return;
      snapshotVersion = aggregator.version;
      this.publish(aggregator.snapshot(), { active, store });
    };
    const soon = (): void => {
      timer ??= setTimeout(takeSnapshot, LOCAL_SNAPSHOT_MILLIS);
    };
    const feed = new CodeSampleFeed(store, {
      onSamples: (samples) => {
        for (const sample of samples) aggregator.add(sample);
        soon();
      },
      onReset: () => {
        aggregator.clear();
        soon();
      },
    });
    const aging = setInterval(() => {
      // Without new spans, the window still moves: old calls must leave the numbers.
      if (timer === undefined && aggregator.version !== snapshotVersion) takeSnapshot();
    }, LOCAL_AGING_MILLIS);
    this.detach = () => {
      feed.dispose();
      clearInterval(aging);
      if (timer !== undefined) clearTimeout(timer);
    };
    feed.start();
    takeSnapshot();
  }

  private async fetchRemote(active: ActiveBackend, generation: number): Promise<void> {
    const controller = new AbortController();
    this.remoteFetch = controller;
    const options = { windowMillis: this.windowMillis, signal: controller.signal };
    const started = performance.now();
    try {
      const snapshot = active.backend.type === 'tempo' ? await fetchTempoCodeStats(active.backend, options) : await fetchSampledCodeStats(active.backend, options);
      if (generation !== this.generation) return;
      this.fetchedAtMillis = Date.now();
      active.reportHealth({ ok: true, detail: 'answered the last request' });
      log().info(
        `Code insights: ${snapshot.rows.length} code locations from ${active.config.name} (${snapshot.provenance.label}) in ${(performance.now() - started).toFixed(0)} ms`,
      );
      this.publish(snapshot, { active, store: undefined });
    } catch (error) {
      if (isCancellation(error) || generation !== this.generation) return;
      // A failed refresh keeps the last numbers; the next refresh tries again.
      this.fetchedAtMillis = Date.now();
      log().warn(`Code insights: statistics from ${active.config.name} failed: ${describeError(error)}`);
    } finally {
      if (this.remoteFetch === controller) this.remoteFetch = undefined;
    }
  }

  private stopCurrent(): void {
    this.deferred = undefined;
    this.detach?.();
    this.detach = undefined;
    this.remoteFetch?.abort();
    this.remoteFetch = undefined;
  }

  private publish(snapshot: CodeStatsSnapshot | undefined, origin: StatsOrigin | undefined): void {
    this.current = snapshot;
    this.currentOrigin = origin;
    this.changed.fire();
  }
}

