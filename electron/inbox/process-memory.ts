// The core sits open all day beside the creator's other apps. After each full collection V8 lets the heap
// grow by a factor it derives from how fast it collects against how fast the app allocates, up to 4×; in a
// busy hour that let the heap in use climb 36 → 57 MB before the next one, and RSS kept those pages for the
// rest of the day. Pinned at 1.3× (V8's own "conservative" factor) the old generation is collected while it
// is still small: over the day bench's eight busy hours the core's RSS grew 4–8 % instead of 16–28 %, for
// about the same CPU (README, "Performance v2"; `npm run bench -- day`).
//
// Set at run time, so it holds in the desktop app's main process too: V8 reads the flag each time it sizes
// the heap after a collection, and Node and Electron's main process leave V8's flags changeable after start.
import { setFlagsFromString } from 'node:v8'

/** Call first thing in a process that hosts the core (web mode, the desktop app's main process). */
export function limitHeapGrowth(): void {
  setFlagsFromString('--heap-growing-percent=30')
}
