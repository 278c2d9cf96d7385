// The store's append-only log on disk: numbered segment files of framed records (recordFrame.ts). Writes
// are queued and batched, one at a time and in order; the file is synced at most once per interval, so a
// crash of the editor loses nothing already handed to the OS and a power cut at most that interval.
// Whole segments are deleted once nothing in them is live, which keeps the disk use bounded.

import { mkdir, open, readdir, readFile, truncate, unlink, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { formatBytes } from '../otlp/payloadCompression';
import type { FramedRecord } from './recordFrame';
import { framedLength, readFrame } from './recordFrame';
import { StoreError } from './storeError';

const SEGMENT_FILE = /^segment-(\d{8,})\.log$/;
const LOCK_FILE = 'store.lock';

/** Longest stretch replay works without yielding to the event loop. */
const REPLAY_SLICE_MILLIS = 8;

// Directories this process holds locks on: a lock file naming this process may also be a stale one left by
// an earlier process that had the same ID.
const lockedHere = new Set<string>();

export interface SegmentLogOptions {
  readonly directory: string;
  /** A segment is closed and a new one started once it holds this many bytes. */
  readonly segmentBytes: number;
  /** Read the log without writing, truncating, deleting or locking (a store another process writes). */
  readonly readOnly: boolean;
  readonly syncIntervalMillis: number;
  readonly onWarning: (message: string) => void;
}

interface Segment {
  readonly id: number;
  bytes: number;
}

export class SegmentLog {
  private readonly segments: Segment[] = [];
  private active: Segment | undefined;
  private handle: FileHandle | undefined;
  /** Frames appended since the last queued write began; the queued write takes this very array. */
  private batch: Uint8Array[] | undefined;
  private tail: Promise<void> = Promise.resolve();
  private syncTimer: NodeJS.Timeout | undefined;
  private dirty = false;
  private failed = false;
  private closed = false;

  private constructor(private readonly options: SegmentLogOptions) {}

  /** Opens (creating, unless read-only) the directory and locks it for this process. */
  static async open(options: SegmentLogOptions): Promise<SegmentLog> {
    const log = new SegmentLog(options);
    const { directory } = options;
    let locked = false;
    try {
      if (!options.readOnly) {
        await mkdir(directory, { recursive: true });
        await acquireLock(directory);
        locked = true;
      }
      const names = await readdir(directory);
      const ids = names.map((name) => SEGMENT_FILE.exec(name)).flatMap((match) => (match === null ? [] : [Number(match[1])]));
      ids.sort((a, b) => a - b);
      for (const id of ids) log.segments.push({ id, bytes: 0 });
    } catch (error) {
      if (locked) await releaseLock(directory);
      if (error instanceof StoreError) throw error;
      if (isCode(error, 'ENOENT')) throw new StoreError('io', `The trace store ${directory} does not exist`);
      if (isCode(error, 'ENOTDIR')) throw new StoreError('io', `${directory} is not a trace store directory`);
      throw new StoreError('io', `Cannot open the trace store ${directory}: ${describe(error)}`);
    }
    return log;
  }

  /** Bytes of all segments. */
  get diskBytes(): number {
    let total = 0;
    for (const segment of this.segments) total += segment.bytes;
    return total;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  /** The oldest segment's ID, or undefined when there is none. */
  get oldestSegment(): number | undefined {
    return this.segments[0]?.id;
  }

  /**
   * Hands every intact record payload to `visit`, oldest first (copied, so the file buffers can go). A torn
   * or corrupt tail ends a segment: it is reported, and cut off unless the log is read-only.
   */
  async replay(visit: (payload: Uint8Array, segment: number) => void): Promise<void> {
    for (const segment of [...this.segments]) {
      const path = this.path(segment.id);
      let bytes: Buffer;
      try {
        bytes = await readFile(path);
      } catch (error) {
        // A writer may delete old segments while a read-only reader goes through them.
        if (isCode(error, 'ENOENT')) {
          this.segments.splice(this.segments.indexOf(segment), 1);
          continue;
        }
        throw new StoreError('io', `Cannot read ${path}: ${describe(error)}`);
      }
      let offset = 0;
      let sliceStarted = performance.now();
      while (offset < bytes.length) {
        const frame = readFrame(bytes, offset);
        if (!frame.ok) {
          await this.cutTail(segment, path, offset, bytes.length - offset, frame.problem);
          break;
        }
        visit(frame.payload.slice(), segment.id);
        offset = frame.end;
        // Replay runs on the editor's thread: let other work in between, so a big store never blocks it long.
        if (performance.now() - sliceStarted > REPLAY_SLICE_MILLIS) {
          await yieldToEventLoop();
          sliceStarted = performance.now();
        }
      }
      segment.bytes = Math.min(offset, bytes.length);
    }
    if (!this.options.readOnly) await this.openActive();
  }

  /** Queues the framed record; returns the ID of the segment it goes to. */
  append(record: FramedRecord): number {
    const active = this.requireActive();
    const length = framedLength(record);
    let target = active;
    if (active.bytes > 0 && active.bytes + length > this.options.segmentBytes) target = this.rotate();
    target.bytes += length;
    if (this.batch === undefined) {
      const batch: Uint8Array[] = [];
      this.batch = batch;
      this.enqueue(() => this.write(batch));
    }
    this.batch.push(record.head);
    if (record.body.length > 0) this.batch.push(record.body);
    return target.id;
  }

  /** Deletes the segment's file; the active segment is kept. */
  deleteSegment(id: number): void {
    if (this.options.readOnly || this.active?.id === id) return;
    const index = this.segments.findIndex((segment) => segment.id === id);
    if (index < 0) return;
    this.segments.splice(index, 1);
    const path = this.path(id);
    this.enqueue(() => unlink(path).catch((error: unknown) => (isCode(error, 'ENOENT') ? undefined : Promise.reject(error))));
  }

  /** Deletes every segment and starts an empty one. */
  async clear(): Promise<void> {
    if (this.options.readOnly) return;
    const doomed = this.segments.splice(0, this.segments.length);
    this.batch = undefined;
    const next: Segment = { id: (doomed.at(-1)?.id ?? 0) + 1, bytes: 0 };
    this.segments.push(next);
    this.active = next;
    this.enqueue(async () => {
      await this.handle?.close();
      this.handle = undefined;
      for (const segment of doomed) await unlink(this.path(segment.id)).catch(() => undefined);
      this.handle = await open(this.path(next.id), 'a');
    });
    await this.tail;
  }

  /** Resolves when everything appended so far is written (not necessarily synced). */
  async flush(): Promise<void> {
    await this.tail;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.syncTimer !== undefined) clearTimeout(this.syncTimer);
    if (this.options.readOnly) return;
    this.enqueue(async () => {
      if (this.handle !== undefined) {
        if (this.dirty) await this.handle.datasync();
        await this.handle.close();
        this.handle = undefined;
      }
    });
    await this.tail;
    await releaseLock(this.options.directory);
  }

  private requireActive(): Segment {
    if (this.active === undefined) throw new StoreError('closed', 'The trace store log is not open for writing');
    return this.active;
  }

  private async openActive(): Promise<void> {
    const last = this.segments.at(-1);
    const active = last !== undefined && last.bytes < this.options.segmentBytes ? last : { id: (last?.id ?? 0) + 1, bytes: 0 };
    if (active !== last) this.segments.push(active);
    this.active = active;
    try {
      this.handle = await open(this.path(active.id), 'a');
    } catch (error) {
      throw new StoreError('io', `Cannot write to the trace store ${this.options.directory}: ${describe(error)}`);
    }
  }

  /** Starts the next segment; frames already queued still go to the current one. */
  private rotate(): Segment {
    this.batch = undefined;
    const next: Segment = { id: this.requireActive().id + 1, bytes: 0 };
    this.segments.push(next);
    this.active = next;
    this.enqueue(async () => {
      if (this.handle === undefined) return;
      if (this.dirty) await this.handle.datasync();
      this.dirty = false;
      await this.handle.close();
      this.handle = await open(this.path(next.id), 'a');
    });
    return next;
  }

  private async write(batch: Uint8Array[]): Promise<void> {
    if (this.batch === batch) this.batch = undefined;
    if (batch.length === 0 || this.handle === undefined) return;
    let expected = 0;
    for (const frame of batch) expected += frame.length;
    const { bytesWritten } = await this.handle.writev(batch);
    if (bytesWritten !== expected) throw new Error(`only ${bytesWritten} of ${expected} bytes were written`);
    this.dirty = true;
    this.scheduleSync();
  }

  private scheduleSync(): void {
    if (this.syncTimer !== undefined || this.closed) return;
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.enqueue(async () => {
        if (this.handle === undefined || !this.dirty) return;
        this.dirty = false;
        await this.handle.datasync();
      });
    }, this.options.syncIntervalMillis);
    this.syncTimer.unref();
  }

  private async cutTail(segment: Segment, path: string, offset: number, length: number, problem: 'torn' | 'corrupt'): Promise<void> {
    const what = problem === 'torn' ? 'an incomplete record' : 'a damaged record';
    if (this.options.readOnly) {
      // A writer may be in the middle of this record; only the last segment is expected to end so.
      if (segment !== this.segments.at(-1)) this.options.onWarning(`${path} has ${what} at byte ${offset}; the ${formatBytes(length)} after it were skipped`);
      return;
    }
    this.options.onWarning(`${path} ended with ${what} at byte ${offset} (an interrupted write); the ${formatBytes(length)} after it were dropped`);
    try {
      await truncate(path, offset);
    } catch (error) {
      throw new StoreError('io', `Cannot repair ${path}: ${describe(error)}`);
    }
  }

  private enqueue(operation: () => Promise<void>): void {
    this.tail = this.tail.then(() => (this.failed ? undefined : operation())).catch((error: unknown) => this.fail(error));
  }

  private fail(error: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.options.onWarning(`Traces are no longer saved to ${this.options.directory} (${describe(error)}); they stay in memory until the editor closes`);
  }

  private path(id: number): string {
    return join(this.options.directory, `segment-${String(id).padStart(8, '0')}.log`);
  }
}

/** Takes the directory's lock file, or fails with `locked` while another live process holds it. */
async function acquireLock(directory: string): Promise<void> {
  const path = join(directory, LOCK_FILE);
  const key = resolve(directory);
  if (lockedHere.has(key)) throw new StoreError('locked', `The trace store ${directory} is already open`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, String(process.pid), { flag: 'wx' });
      lockedHere.add(key);
      return;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) throw error;
    }
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new StoreError('locked', `The trace store ${directory} is in use by process ${holder}; open it read-only or stop that process`);
    }
    // Left behind by a process that is gone (or by this one): take it over.
    await unlink(path).catch(() => undefined);
  }
  throw new StoreError('locked', `Cannot lock the trace store ${directory}`);
}

async function releaseLock(directory: string): Promise<void> {
  lockedHere.delete(resolve(directory));
  await unlink(join(directory, LOCK_FILE)).catch(() => undefined);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
