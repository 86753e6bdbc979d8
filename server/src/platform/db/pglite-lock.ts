// PGlite keeps its database in a plain folder and has no lock of its own: a second process opening
// the same folder (a second `npm start`, or `npm run reconcile` next to a running node) would write
// to the same files and corrupt them. So whoever opens a PGlite folder holds `<folder>.lock` with
// its pid; another process finding a live pid there is refused with a clear message. A lock left by
// a crash (its pid is gone) is taken over. The same process may open the folder again (tests
// restart a node in-process), which PGlite itself handles by one instance at a time.
import fs from 'node:fs';
import os from 'node:os';

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly holder: { pid: number; host: string; since: string },
  ) {
    super(
      `The PGlite database in ${dir} is in use by another process ` +
        `(pid ${holder.pid} on ${holder.host}, since ${holder.since}). ` +
        'PGlite serves one process at a time: stop that LiveMall node first, ' +
        'or point DATABASE_URL at PostgreSQL to run several. ' +
        `If no such process runs any more, delete ${dir}.lock.`,
    );
    this.name = 'DataDirLockedError';
  }
}

const held = new Map<string, number>();

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

function readHolder(file: string): { pid: number; host: string; since: string } | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as { pid?: unknown; host?: unknown; since?: unknown };
    return typeof v.pid === 'number' ? { pid: v.pid, host: String(v.host ?? ''), since: String(v.since ?? '') } : null;
  } catch {
    return null;
  }
}

/** Take the folder's lock (throws DataDirLockedError when another live process has it); returns its release. */
export function lockDataDir(dir: string): () => void {
  const file = `${dir}.lock`;
  const mine = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() });
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, mine, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
    }
    const holder = readHolder(file);
    if (holder?.pid === process.pid) break; // this process already holds it
    // Another host's pid cannot be checked from here: treat it as alive.
    if (holder && (holder.host !== os.hostname() || alive(holder.pid))) throw new DataDirLockedError(dir, holder);
    fs.rmSync(file, { force: true }); // left by a process that is gone (or unreadable): take it over
  }
  held.set(file, (held.get(file) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (held.get(file) ?? 1) - 1;
    if (left > 0) {
      held.set(file, left);
      return;
    }
    held.delete(file);
    if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
  };
}

// A process that exits without closing its database (process.exit) lets the folder go with it.
process.once('exit', () => {
  for (const file of held.keys()) if (readHolder(file)?.pid === process.pid) fs.rmSync(file, { force: true });
});
