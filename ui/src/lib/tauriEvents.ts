// Events from the Rust side (sync status, import progress, files dropped on the window). Outside
// Tauri (a plain browser, vitest) there are none: registering is then a quiet no-op, so the app
// still loads.
import { listen } from '@tauri-apps/api/event';
import { getCurrentWebview } from '@tauri-apps/api/webview';

type Unlisten = () => void;

/** Calls `register` and returns a teardown that works whether or not registration finished (or
 *  failed): an unmount before the promise settles still unlistens. */
function guarded(register: () => Promise<Unlisten>): Unlisten {
  let stopped = false;
  let unlisten: Unlisten | null = null;
  try {
    register().then(
      (u) => (stopped ? u() : (unlisten = u)),
      () => {},
    );
  } catch {
    // No Tauri in this page.
  }
  return () => {
    stopped = true;
    unlisten?.();
  };
}

/** Listens to an event Rust emits; returns the unsubscribe function. */
export function onTauriEvent<T>(name: string, fn: (payload: T) => void): Unlisten {
  return guarded(() => listen<T>(name, (e) => fn(e.payload)));
}

export type FileDrag = { type: 'enter' | 'over' | 'leave' } | { type: 'drop'; paths: string[] };

/** Files dragged over and dropped on the window. A drop arrives whole on its own (no 'enter'
 *  needs to precede it). Once listening, `<html data-drop-ready>` says so (the end-to-end test
 *  waits for it before emitting a drop). */
export function onFileDrag(fn: (drag: FileDrag) => void): Unlisten {
  return guarded(async () => {
    const unlisten = await getCurrentWebview().onDragDropEvent((e) => {
      const p = e.payload;
      fn(p.type === 'drop' ? { type: 'drop', paths: p.paths ?? [] } : { type: p.type });
    });
    document.documentElement.dataset.dropReady = 'true';
    return () => {
      delete document.documentElement.dataset.dropReady;
      unlisten();
    };
  });
}

export interface ImportProgress {
  rows: number;
  percent: number;
  /** What the import is doing now, in words: "reading rows", "indexing for search", … */
  stage: string;
  dry_run: boolean;
}
