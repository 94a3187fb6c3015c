/*
 * The append-only file, in Redis 7.0's multi-part layout: `dir`/`appenddirname` holds a base
 * file (an RDB image of the dataset when it was last rewritten: aof-use-rdb-preamble), an incr
 * file (every effect since, as RESP commands with SELECT when the database changes) and the
 * manifest naming them (`<appendfilename>.manifest`: `file <name> seq <n> type b|i` lines).
 * redis-server loads these directories and kv-server loads redis-server's
 * (compat-tests/aof.test.ts).
 *
 * Writes: the effects stream (core/effects.ts) is appended to a buffer that is written once the
 * commands of this read have run (a microtask), or earlier when a connection writes replies
 * (server/reply-output.ts flushes this first: no reply leaves before the effects it answers),
 * then fsynced per appendfsync — always: with the write; everysec: from the cron, off the event
 * loop (fs.fsync); no: never.
 *
 * A rewrite (BGREWRITEAOF, turning appendonly on) is done in one turn, as SAVE is: new base from
 * the dataset, new empty incr file, new manifest (temp file, renamed), the old files deleted.
 * Redis forks for it; this holds the event loop while the base is written (docs/compatibility.md).
 *
 * Loading replays the incr files' commands through their handlers with a detached client (no
 * effects, no statistics); a transaction cut short at the end of a file is dropped, and a last
 * command cut short is dropped and the file truncated to what was whole (aof-load-truncated).
 */
import { closeSync, existsSync, fstatSync, fsync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from './client.js';
import { detachedConnection } from './detached-connection.js';
import type { ServerContext } from './server-context.js';
import { encodeCommand } from './replication-feed.js';
import { CollectingReply } from '../resp/collecting-reply.js';

export interface ManifestEntry {
  name: string;
  seq: number;
  type: 'b' | 'h' | 'i';
}

/** Parses a manifest's text (Redis's aofLoadManifestFromFile); throws on a malformed line. */
export function parseManifest(text: string): ManifestEntry[] {
  const out: ManifestEntry[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    const entry: Partial<ManifestEntry> = {};
    for (let i = 0; i + 1 < words.length; i += 2) {
      const k = words[i]!;
      const v = words[i + 1]!;
      if (k === 'file') entry.name = v.replace(/^"(.*)"$/, '$1');
      else if (k === 'seq') entry.seq = Number(v);
      else if (k === 'type') entry.type = v as ManifestEntry['type'];
    }
    if (entry.name === undefined || entry.seq === undefined || !['b', 'h', 'i'].includes(entry.type ?? '')) throw new Error(`Invalid AOF manifest line: ${line}`);
    out.push(entry as ManifestEntry);
  }
  return out;
}

const manifestText = (entries: readonly ManifestEntry[]): string => entries.map((e) => `file ${e.name} seq ${e.seq} type ${e.type}\n`).join('');

/**
 * Reads the RESP commands of `bytes` from `start`: calls `each` with every whole command and
 * returns the offset after the last whole one (less than the length when the end is cut short).
 * Throws on bytes that are not RESP multibulk commands.
 */
export function readCommands(bytes: Buffer, start: number, each: (argv: string[], end: number) => void): number {
  let at = start;
  const n = bytes.length;
  const line = (from: number): [number, number] | null => {
    const cr = bytes.indexOf(13, from);
    if (cr < 0 || cr + 1 >= n) return null;
    return [Number(bytes.latin1Slice(from + 1, cr)), cr + 2];
  };
  while (at < n) {
    // an annotation (`#TS:<unix time>` with aof-timestamp-enabled): skipped, as Redis's loader does
    if (bytes[at] === 0x23) {
      const nl = bytes.indexOf(10, at);
      if (nl < 0) return at;
      at = nl + 1;
      continue;
    }
    if (bytes[at] !== 0x2a) throw new Error(`Bad file format reading the append only file at offset ${at}`);
    const head = line(at);
    if (head === null) return at;
    let [count, p] = head;
    const argv: string[] = [];
    let whole = true;
    while (count-- > 0) {
      if (p >= n) {
        whole = false;
        break;
      }
      if (bytes[p] !== 0x24) throw new Error(`Bad file format reading the append only file at offset ${p}`);
      const len = line(p);
      if (len === null || len[1] + len[0] + 2 > n) {
        whole = false;
        break;
      }
      argv.push(bytes.latin1Slice(len[1], len[1] + len[0]));
      p = len[1] + len[0] + 2;
    }
    if (!whole) return at;
    each(argv, p);
    at = p;
  }
  return at;
}

export class AppendOnlyFile {
  /** INFO persistence */
  rewrites = 0;
  lastRewriteSeconds = -1;
  lastWriteStatus: 'ok' | 'err' = 'ok';
  /** bytes of the base file and of base + incr files as last written */
  baseSize = 0;
  currentSize = 0;
  private manifest: ManifestEntry[] = [];
  private fd = -1;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private flushQueued = false;
  private selected = -1;
  private unsubscribe: (() => void) | null = null;
  private lastFsync = 0;

  /** RDB images of the dataset with its function libraries (commands/persistence.ts supplies them) */
  images: { snapshot(): Uint8Array; load(bytes: Uint8Array): void } | null = null;

  constructor(private readonly server: ServerContext) {}

  get enabled(): boolean {
    return this.fd >= 0;
  }

  get bufferLength(): number {
    return this.pendingBytes;
  }

  private dir(): string {
    return join(this.server.config.get('dir'), this.server.config.get('appenddirname'));
  }

  private manifestPath(): string {
    return join(this.dir(), `${this.server.config.get('appendfilename')}.manifest`);
  }

  /** Whether a manifest exists to load. */
  exists(): boolean {
    return existsSync(this.manifestPath());
  }

  /**
   * Starts appending: to the manifest's last incr file when `resume` (just loaded from it), else
   * after a rewrite (a new base from the dataset). Throws when the files cannot be written.
   */
  start(resume: boolean): void {
    if (this.enabled) return;
    if (resume && this.manifest.some((e) => e.type === 'i')) {
      const incr = this.manifest.filter((e) => e.type === 'i').at(-1)!;
      this.fd = openSync(join(this.dir(), incr.name), 'a');
      this.currentSize = this.manifest.reduce((sum, e) => sum + fileSize(join(this.dir(), e.name)), 0);
    } else {
      this.rewrite(true);
    }
    this.selected = -1;
    this.unsubscribe = this.server.addEffectsConsumer(this.sink);
  }

  /** Stops appending (appendonly no): what is buffered is written and synced first. */
  stop(): void {
    if (!this.enabled) return;
    this.flush();
    try {
      fsyncSync(this.fd);
    } catch {
      // the file is closed below either way
    }
    closeSync(this.fd);
    this.fd = -1;
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /**
   * Writes a new base (the dataset now), starts a new incr file (while appending: `appending`),
   * and replaces the manifest; the files of the previous manifest are deleted. Throws when a file
   * cannot be written.
   */
  rewrite(appending = this.enabled): void {
    const started = performance.now();
    this.flush();
    const dir = this.dir();
    mkdirSync(dir, { recursive: true });
    const name = this.server.config.get('appendfilename');
    // files of an earlier run (appendonly turned on again): numbered after them, then deleted
    if (this.manifest.length === 0 && this.exists()) {
      try {
        this.manifest = parseManifest(readFileSync(this.manifestPath(), 'latin1'));
      } catch {
        // a manifest that cannot be read is replaced
      }
    }
    const seq = Math.max(0, ...this.manifest.map((e) => e.seq)) + 1;
    const base: ManifestEntry = { name: `${name}.${seq}.base.rdb`, seq, type: 'b' };
    const incr: ManifestEntry = { name: `${name}.${seq}.incr.aof`, seq, type: 'i' };
    const image = this.images!.snapshot();
    writeWhole(join(dir, base.name), image);
    const fd = appending ? openSync(join(dir, incr.name), 'a') : -1;
    const entries = appending ? [base, incr] : [base];
    const temp = join(dir, `temp-${name}.manifest`);
    writeWhole(temp, Buffer.from(manifestText(entries)));
    renameSync(temp, this.manifestPath());
    const old = this.manifest;
    this.manifest = entries;
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = fd;
    // the incr file starts with no database selected
    this.selected = -1;
    for (const e of old) {
      if (e.name === base.name || e.name === incr.name) continue;
      try {
        unlinkSync(join(dir, e.name));
      } catch {
        // already gone
      }
    }
    this.baseSize = image.length;
    this.currentSize = image.length;
    this.rewrites++;
    this.lastRewriteSeconds = Math.round((performance.now() - started) / 1000);
    this.server.log.notice('Background AOF rewrite finished successfully');
  }

  /**
   * Loads the files the manifest names into the (empty) keyspace: the base (an RDB image, or
   * commands) then the incr files. Returns how many commands were replayed; throws with Redis's
   * reason on a file it cannot read.
   */
  load(): number {
    const dir = this.dir();
    const entries = parseManifest(readFileSync(this.manifestPath(), 'latin1'));
    const loader = new Client(this.server, 0, new CollectingReply(2), detachedConnection({ addr: 'aof', laddr: '' }));
    const saved = this.server.effects;
    // replaying must not feed the stream it is read from
    this.server.effects = null;
    let replayed = 0;
    try {
      for (const e of entries) {
        const path = join(dir, e.name);
        const bytes = readFileSync(path);
        // a base is an RDB image (aof-use-rdb-preamble) or commands; incr files are commands
        if (bytes.subarray(0, 5).latin1Slice() === 'REDIS') this.images!.load(bytes);
        else replayed += this.replay(loader, bytes, 0, path);
      }
    } finally {
      this.server.effects = saved;
    }
    this.manifest = entries;
    this.baseSize = entries.filter((e) => e.type === 'b').reduce((sum, e) => sum + fileSize(join(dir, e.name)), 0);
    this.currentSize = entries.reduce((sum, e) => sum + fileSize(join(dir, e.name)), 0);
    return replayed;
  }

  /** Replays the commands of one file; a cut-short end is dropped (and the file truncated there). */
  private replay(loader: Client, bytes: Buffer, from: number, path: string): number {
    let replayed = 0;
    let queued: string[][] | null = null;
    let multiStart = 0;
    let start = from;
    const end = readCommands(bytes, from, (argv, next) => {
      const name = argv[0]!.toLowerCase();
      if (name === 'multi') {
        queued = [];
        multiStart = start;
      } else if (name === 'exec' && queued !== null) {
        for (const q of queued) replayed += this.run(loader, q);
        queued = null;
      } else if (queued !== null) queued.push(argv);
      else replayed += this.run(loader, argv);
      start = next;
    });
    // a transaction without its EXEC is dropped whole, as Redis reverts it
    const whole = queued !== null ? multiStart : end;
    if (whole < bytes.length) {
      this.server.log.warning(`!!! Warning: short read while loading the AOF file ${path}!!! Truncating the AOF at offset ${whole}`);
      const fd = openSync(path, 'r+');
      try {
        ftruncateSync(fd, whole);
      } finally {
        closeSync(fd);
      }
    }
    return replayed;
  }

  /** Runs one loaded command through its handler. */
  private run(loader: Client, argv: string[]): number {
    let spec = this.server.commandTable.get(argv[0]!);
    // a container's subcommand (XGROUP CREATE, FUNCTION LOAD…)
    if (spec?.subcommands !== undefined && argv.length > 1) spec = spec.subcommands.get(argv[1]!.toLowerCase());
    if (spec === undefined || spec.handler === undefined) throw new Error(`Unknown command '${argv[0]}' reading the append only file`);
    loader.now = this.server.clock.now();
    spec.handler(loader, argv);
    this.server.keyspace.settle();
    return 1;
  }

  /** Writes what is buffered (and fsyncs it under appendfsync always). */
  flush(): void {
    this.flushQueued = false;
    if (this.fd < 0 || this.pendingBytes === 0) return;
    const bytes = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    try {
      writeSync(this.fd, bytes);
      if (this.server.config.get('appendfsync') === 'always') fsyncSync(this.fd);
      this.currentSize += bytes.length;
      this.lastWriteStatus = 'ok';
    } catch (e) {
      this.lastWriteStatus = 'err';
      this.server.log.warning(`Error writing to the AOF file: ${(e as Error).message}`);
    }
  }

  /** The server cron: appendfsync everysec syncs once a second, off the event loop. */
  cron(now: number): void {
    if (this.fd < 0 || this.server.config.get('appendfsync') !== 'everysec' || now - this.lastFsync < 1000) return;
    this.lastFsync = now;
    fsync(this.fd, () => {});
  }

  private readonly sink = (db: number, argv: readonly string[]): void => {
    // namespaces (negative ids) are not part of the file, as they are not part of RDB files
    if (db < 0) return;
    if (db !== this.selected) {
      this.selected = db;
      this.append(encodeCommand(['SELECT', String(db)]));
    }
    this.append(encodeCommand(argv));
  };

  private append(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (!this.flushQueued) {
      this.flushQueued = true;
      queueMicrotask(() => this.flush());
    }
  }
}

function writeWhole(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function fileSize(path: string): number {
  try {
    const fd = openSync(path, 'r');
    try {
      return fstatSync(fd).size;
    } finally {
      closeSync(fd);
    }
  } catch {
    return 0;
  }
}
