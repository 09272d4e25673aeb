// Which dialog is open (one at a time): the components that open one and the screen that shows it
// meet here, and the app's shortcuts stay quiet while any is open.
export type InboxDialog =
  | { kind: 'settings' }
  | { kind: 'switcher' }
  | { kind: 'shortcuts' }
  | { kind: 'snooze'; chatIds: string[] }
  | { kind: 'labels'; chatIds: string[] }
  | { kind: 'label-manager' }
  | { kind: 'saved-replies' }
  /** The composer's `/` picker (the composer shows it, next to the text it inserts into). */
  | { kind: 'saved-reply-picker' }

export class DialogState {
  current = $state<InboxDialog | null>(null)

  open(dialog: InboxDialog): void {
    this.current = dialog
  }

  /** Closes `kind` if it is the one open (a dialog closing late must not close its successor). */
  close(kind?: InboxDialog['kind']): void {
    if (kind === undefined || this.current?.kind === kind) this.current = null
  }
}
