// A Svelte action making an element accept dropped files, with the hover state the UI highlights.
// Dropping is a pointer shortcut: the Attach button and paste do the same from the keyboard.

export interface DropZoneOptions {
  ondrop(files: File[]): void
  onactive(active: boolean): void
  enabled?: boolean
}

function carriesFiles(event: DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files')
}

export function dropZone(node: HTMLElement, initial: DropZoneOptions) {
  let options = initial
  // dragenter/dragleave fire for every child crossed: count them to know when the pointer really left.
  let depth = 0

  function enter(event: DragEvent) {
    if (!carriesFiles(event) || options.enabled === false) return
    event.preventDefault()
    depth++
    if (depth === 1) options.onactive(true)
  }
  function over(event: DragEvent) {
    if (!carriesFiles(event) || options.enabled === false) return
    event.preventDefault()
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy'
  }
  function leave(event: DragEvent) {
    if (!carriesFiles(event) || depth === 0) return
    depth--
    if (depth === 0) options.onactive(false)
  }
  function drop(event: DragEvent) {
    if (options.enabled === false) return
    event.preventDefault()
    depth = 0
    options.onactive(false)
    const files = Array.from(event.dataTransfer?.files ?? [])
    if (files.length > 0) options.ondrop(files)
  }

  node.addEventListener('dragenter', enter)
  node.addEventListener('dragover', over)
  node.addEventListener('dragleave', leave)
  node.addEventListener('drop', drop)
  return {
    update(next: DropZoneOptions) {
      options = next
    },
    destroy() {
      node.removeEventListener('dragenter', enter)
      node.removeEventListener('dragover', over)
      node.removeEventListener('dragleave', leave)
      node.removeEventListener('drop', drop)
    }
  }
}
