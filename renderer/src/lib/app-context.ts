// The app state and clock handed to every component through Svelte's context, created once in App.
import { getContext, setContext } from 'svelte'
import type { Clock } from './clock.svelte.ts'
import type { InboxApp } from './inbox/inbox-app.svelte.ts'

export interface AppContext {
  app: InboxApp
  clock: Clock
}

const KEY = Symbol('dmdesk-app')

export function setAppContext(context: AppContext): void {
  setContext(KEY, context)
}

export function getAppContext(): AppContext {
  const context = getContext<AppContext | undefined>(KEY)
  if (!context) throw new Error('dmdesk: a component was used outside App')
  return context
}
