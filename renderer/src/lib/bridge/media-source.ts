// How web mode sends a file the creator picked, dropped or pasted: by its bytes, never a path. (In
// Electron the preload decides; see electron/preload/index.ts.)
import type { MediaSource } from '../../../../shared/inbox-api.ts'

/** Bytes per btoa call: large enough to be quick, small enough for String.fromCharCode's argument limit. */
const CHUNK = 0x8000

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK))
  return btoa(binary)
}

export async function uploadedMediaSource(file: File): Promise<MediaSource> {
  return { name: file.name.slice(0, 255), bytesBase64: bytesToBase64(new Uint8Array(await file.arrayBuffer())) }
}
