// The relay as an operator gets it: `npm pack` the relay package, install the tarball into an empty
// directory (its one dependency, better-sqlite3, from the npm registry), start it with `npx dmdesk-relay`
// on loopback, pair a client through the admin API, POST a signed webhook to the ingest URL and receive it
// over the event stream, byte for byte, with a signature that still verifies. Nothing from the checkout
// runs on the relay's side: it must work from the packed files alone.
//
// Usage: node scripts/npm-package-smoke/relay.ts        (scripts/test.sh runs it as the `relay-pkg` check)
// Every step has a deadline; the temp directory and the relay process it started are removed at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { postproxySignatureHeader, verifyPostproxySignature } from '../../electron/inbox/postproxy/index.ts'
import { installTarball, pack, startInstalledCommand, STEP_TIMEOUT_MS, within, type StartedCommand } from './npm-package.ts'

const RELAY_DIR = join(import.meta.dirname, '..', '..', 'relay')

function step(text: string): void {
  console.log(`relay-pkg: ${text}`)
}

async function call(url: string, token: string, init: RequestInit = {}): Promise<any> {
  const response = await fetch(url, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } })
  const text = await response.text()
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${new URL(url).pathname.replace(/\/h\/.*/, '/h/…')} answered ${response.status}: ${text}`)
  return text ? JSON.parse(text) : null
}

interface Frame {
  event: string
  id: string | null
  data: string
}

/** Reads the event stream until a `webhook` frame arrives; a minimal reader, independent of the app's. */
async function firstWebhookFrame(body: ReadableStream<Uint8Array>): Promise<Frame> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  try {
    // Bounded by the caller's deadline: each pass consumes a chunk the relay sent.
    for (;;) {
      const { value, done } = await reader.read()
      if (done) throw new Error('the event stream ended before the webhook arrived')
      buffer += decoder.decode(value, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const frame: Frame = { event: 'message', id: null, data: '' }
        for (const line of block.split('\n')) {
          const [field, ...rest] = line.split(': ')
          if (field === 'event') frame.event = rest.join(': ')
          if (field === 'id') frame.id = rest.join(': ')
          if (field === 'data') frame.data = rest.join(': ')
        }
        if (frame.event === 'webhook') return frame
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'dmdesk-relay-pkg-'))
  let relay: StartedCommand | null = null
  try {
    step('npm pack')
    const tarball = await pack(RELAY_DIR, work, {
      required: ['package.json', 'README.md', 'dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'dist/storage.js'],
      allowed: /^(package\.json|README\.md|dist\/[\w-]+\.(js|d\.ts))$/
    })
    step(`packed ${tarball.split('/').pop()}; installing it into an empty directory`)
    const app = await installTarball(work, tarball, '@dmdesk/relay', ['better-sqlite3'])

    step('starting it with npx dmdesk-relay')
    const dataDir = join(work, 'data')
    relay = await startInstalledCommand(app, 'dmdesk-relay', ['--port', '0', '--host', '127.0.0.1', '--data', dataDir], { RELAY_ADMIN_TOKEN: '' })
    const url = relay.announcement.url
    const adminToken = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()
    if (relay.stderr().includes(adminToken)) throw new Error('the relay printed its admin token')

    step(`pairing a client with ${url}`)
    const channel = await call(`${url}/v1/channels`, adminToken, { method: 'POST' })
    const device = await call(`${url}/v1/channels/${channel.channel_id}/devices`, adminToken, { method: 'POST' })
    const stream = await fetch(device.events_url, { headers: { authorization: `Bearer ${device.token}`, 'last-event-id': '0' } })
    if (stream.status !== 200 || !stream.body) throw new Error(`the event stream answered ${stream.status}`)

    step('POSTing a signed webhook to the ingest URL')
    const secret = 'whsec_package_smoke_0123456789'
    const body = Buffer.from(JSON.stringify({ id: 'evt_package_smoke', type: 'message.received', data: { text: 'olá 👋 from the packaged relay' } }), 'utf8')
    const signature = postproxySignatureHeader(secret, Math.floor(Date.now() / 1000), body)
    const framePromise = within(firstWebhookFrame(stream.body), STEP_TIMEOUT_MS, 'the webhook arriving on the stream')
    const answer = (await call(channel.ingest_url, '', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-postproxy-event': 'message.received', 'x-postproxy-signature': signature },
      body
    })) as { seq: number }

    const frame = await framePromise
    const data = JSON.parse(frame.data) as { seq: number; received_at: string; headers: Array<[string, string]>; body_b64: string }
    const delivered = Buffer.from(data.body_b64, 'base64')
    if (frame.id !== String(answer.seq) || data.seq !== answer.seq) throw new Error(`the frame's seq ${frame.id} is not the ingest answer's ${answer.seq}`)
    if (!delivered.equals(body)) throw new Error('the delivered body differs from the posted bytes')
    const header = data.headers.find(([name]) => name === 'x-postproxy-signature')?.[1]
    const verified = verifyPostproxySignature({ header, rawBody: delivered, secrets: [secret], referenceTimeMs: Date.parse(data.received_at) })
    if (!verified.ok) throw new Error(`the delivered webhook's signature does not verify: ${verified.reason}`)
    const ack = await fetch(`${url}/v1/channels/${channel.channel_id}/ack`, {
      method: 'POST',
      headers: { authorization: `Bearer ${device.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ up_to: answer.seq })
    })
    if (ack.status !== 204) throw new Error(`the ack answered ${ack.status}`)

    step('stopping it with SIGTERM')
    await relay.stop()
    // npx reports the signal as its own exit; the relay's clean shutdown is what its last log line says.
    if (!relay.stderr().includes('relay stopped')) throw new Error(`the relay did not stop cleanly on SIGTERM; stderr: ${relay.stderr()}`)
    relay = null
    step(`ok: seq ${answer.seq} delivered byte for byte, signature verified, acked`)
  } finally {
    relay?.kill()
    rmSync(work, { recursive: true, force: true })
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`relay-pkg: FAILED: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  }
)
