import * as fs from 'fs';
import { Worker } from 'worker_threads';

/** Files written synchronously on the main thread before a writer thread is worth starting. */
const INLINE_FILES = 200;

// The writer thread: plain JavaScript, so it runs the same from the TypeScript sources and from build/.
const WORKER_SOURCE = `
const { parentPort } = require('worker_threads');
const fs = require('fs');
parentPort.on('message', ({ id, files }) => {
  try {
    for (const [file, content] of files) fs.writeFileSync(file, content);
    parentPort.postMessage({ id });
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message ? e.message : e) });
  }
});
`;

interface Waiter {
  resolve(): void;
  reject(e: Error): void;
}

/**
 * Writes files, off the main thread once there are many. Synthesis is synchronous and holds the main thread, so
 * writes queued on libuv (fs.promises) only ran after it; creating thousands of small files then added its whole
 * time to the run. A worker thread writes one folder while the main thread synthesizes the next. Small runs write
 * inline and never pay the thread's start-up.
 */
export class FileSink {
  private worker?: Worker;
  private inline = 0;
  private nextId = 0;
  private readonly waiting = new Map<number, Waiter>();

  /** Writes `files` (absolute path, content); resolves once they are on disk. */
  public write(files: Array<[string, string]>): Promise<void> {
    if (this.worker === undefined && this.inline + files.length <= INLINE_FILES) {
      for (const [file, content] of files) fs.writeFileSync(file, content);
      this.inline += files.length;
      return Promise.resolve();
    }
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, files });
    });
  }

  /** Stops the writer thread; call after every write settled. */
  public async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on('message', ({ id, error }: { id: number; error?: string }) => {
      const waiter = this.waiting.get(id);
      this.waiting.delete(id);
      if (error === undefined) waiter?.resolve();
      else waiter?.reject(new Error(error));
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', (code) => {
      if (this.waiting.size > 0) this.failAll(new Error(`the file writer thread exited (code ${code}) before it was done`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(e: Error): void {
    for (const waiter of this.waiting.values()) waiter.reject(e);
    this.waiting.clear();
  }
}
