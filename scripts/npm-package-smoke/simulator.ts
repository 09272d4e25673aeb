// The simulator as another Postproxy developer gets it (the way stripe-mock is used): `npm pack` the
// simulator package, install the tarball into an empty directory (better-sqlite3 and zod from the npm
// registry), read `npx postproxy-simulator --help`, start it on loopback, and use it as a Postproxy client
// would: list the profile and its posts, let a participant write through the control API, read the
// message back, send a reply with quick replies, and stop it with SIGTERM. Nothing from the checkout
// runs on the simulator's side: it must work from the packed files alone.
//
// Usage: node scripts/npm-package-smoke/simulator.ts        (scripts/test.sh runs it as the `sim-pkg` check)
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { installTarball, pack, run, startInstalledCommand, STEP_TIMEOUT_MS, type StartedCommand } from './npm-package.ts'

const SIMULATOR_DIR = join(import.meta.dirname, '..', '..', 'simulator')

function step(text: string): void {
  console.log(`sim-pkg: ${text}`)
}

async function api(url: string, apiKey: string, method: string, path: string, body?: unknown): Promise<any> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`)
  return JSON.parse(text)
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dmdesk-sim-pkg-'))
  let simulator: StartedCommand | null = null
  try {
    step('npm pack')
    const tarball = await pack(SIMULATOR_DIR, work, {
      required: ['package.json', 'README.md', 'dist/simulator/cli.js', 'dist/simulator/index.js', 'dist/simulator/index.d.ts', 'dist/shared/postproxy.js'],
      allowed: /^(package\.json|README\.md|dist\/(simulator|shared)\/([\w-]+\/)*[\w-]+\.(js|d\.ts))$/
    })
    step(`packed ${tarball.split('/').pop()}; installing it into an empty directory`)
    const app = await installTarball(work, tarball, '@dmdesk/postproxy-simulator', ['better-sqlite3', 'zod'])

    step('npx postproxy-simulator --help')
    const help = await run('npx', ['--no-install', 'postproxy-simulator', '--help'], { cwd: app, timeout: STEP_TIMEOUT_MS })
    if (!help.stdout.includes('Usage: postproxy-simulator') || !help.stdout.includes('--strict-window')) throw new Error(`--help printed: ${help.stdout}`)

    step('starting it with npx postproxy-simulator')
    simulator = await startInstalledCommand(app, 'postproxy-simulator', ['--port', '0', '--no-alive'])
    const { url, apiKey, profileId } = simulator.announcement

    step(`talking to ${url} as a Postproxy client`)
    const profiles = await api(url, apiKey, 'GET', '/api/profiles')
    if (!profiles.data.some((profile: { id: string }) => profile.id === profileId)) throw new Error('GET /api/profiles does not list the announced profile')
    const posts = await api(url, apiKey, 'GET', '/api/posts?platforms=instagram')
    if (posts.data.length === 0) throw new Error('GET /api/posts lists no posts in the demo scenario')
    const inbound = await api(url, apiKey, 'POST', '/_sim/inbound', { participant_external_id: 'igsid_pkg_smoke', participant_username: 'pkg.smoke', body: 'Hi from a packaged simulator' })
    const page = await api(url, apiKey, 'GET', `/api/chats/${inbound.chat.id}/messages`)
    if (page.data[0]?.body !== 'Hi from a packaged simulator') throw new Error('the inbound message is not the chat\'s newest')
    const reply = await api(url, apiKey, 'POST', `/api/chats/${inbound.chat.id}/messages`, {
      body: 'Which size?',
      quick_replies: [{ title: 'S', payload: 'SIZE_S' }, { title: 'M', payload: 'SIZE_M' }]
    })
    if (reply.status !== 'pending' || reply.quick_replies?.length !== 2) throw new Error(`the send was answered with ${JSON.stringify(reply)}`)

    step('stopping it with SIGTERM')
    await simulator.stop()
    simulator = null
    step('ok: profiles, posts, an inbound message and an interactive reply over the packed simulator')
  } finally {
    simulator?.kill()
    rmSync(work, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`sim-pkg: FAILED: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
)
