import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * The checkpointer's thread (checkpointer.ts): its own connection to the file, copying the WAL
 * into the database every `everyMs`. PASSIVE never waits for the relay's writer or readers, and a
 * checkpoint that stops half-way (the thread or process killed) is finished by the next one.
 */
const { filename, everyMs } = workerData as { filename: string; everyMs: number };
const db = new Database(filename, { fileMustExist: true });
db.pragma('busy_timeout = 1000');

const checkpoint = () => {
  try {
    const [result] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ busy: number; log: number; checkpointed: number }>;
    parentPort?.postMessage({ type: 'checkpointed', frames: result?.checkpointed ?? 0, log: result?.log ?? 0 });
  } catch (error) {
    // Busy or I/O: the next round retries, and the relay's own fallback bounds the WAL meanwhile.
    parentPort?.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
};

const timer = setInterval(checkpoint, everyMs);
parentPort?.on('message', (message: unknown) => {
  if (message === 'now') checkpoint();
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort?.close();
});
