// The CLI as demo mode and scripts use it: a real child process whose first stdout line is one JSON
// object, serving on 127.0.0.1, shutting down cleanly on SIGTERM / SIGINT.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { ChatPageSchema, ProfileListSchema } from '../../../shared/postproxy.ts'
import { parses, SimClient } from './helpers.ts'

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..')
const children: ChildProcessWithoutNullStreams[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

function runCli(args: string[]): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, ['simulator/cli.ts', ...args], { cwd: repoRoot, stdio: 'pipe' })
  children.push(child)
  return child
}

async function firstLine(child: ChildProcessWithoutNullStreams, timeoutMs = 20_000): Promise<string> {
  const lines = createInterface({ input: child.stdout })
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  try {
    const [line] = (await once(lines, 'line')) as [string]
    return line
  } finally {
    clearTimeout(timer)
    lines.close()
  }
}

async function exitOf(child: ChildProcessWithoutNullStreams, timeoutMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null) return child.exitCode
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const [code] = (await once(child, 'exit')) as [number | null]
  clearTimeout(timer)
  return code
}

describe('npm run simulator', () => {
  it('prints {"url","apiKey","profileId"} as its first line, serves, and stops cleanly on SIGTERM', async () => {
    const child = runCli(['--port', '0', '--scenario', 'empty', '--no-alive'])
    const started = JSON.parse(await firstLine(child))
    expect(Object.keys(started).sort()).toEqual(['apiKey', 'profileId', 'url'])
    expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const api = new SimClient(started.url, started.apiKey)
    const profiles = parses(ProfileListSchema, (await api.get('/api/profiles')).body)
    expect(profiles.data.map((profile) => profile.id)).toEqual([started.profileId])

    child.kill('SIGTERM')
    expect(await exitOf(child)).toBe(0)
  })

  it('generates scale data from --chats and --messages-per-chat, and stops on SIGINT', async () => {
    const child = runCli(['--chats', '30', '--messages-per-chat', '4', '--seed', '7', '--no-alive'])
    const started = JSON.parse(await firstLine(child))
    const api = new SimClient(started.url, started.apiKey)
    const page = parses(ChatPageSchema, (await api.get(`/api/profiles/${started.profileId}/chats`)).body)
    expect(page.total).toBe(30)
    expect((await api.get('/_sim/state')).body.counts.messages).toBe(120)
    child.kill('SIGINT')
    expect(await exitOf(child)).toBe(0)
  })

  it('gives every profile with DMs the scale chats with --chats-on-every-profile (only the first without it)', async () => {
    const child = runCli(['--profiles', 'multi', '--chats', '12', '--messages-per-chat', '3', '--chats-on-every-profile', '--seed', '7', '--no-alive'])
    const started = JSON.parse(await firstLine(child))
    const api = new SimClient(started.url, started.apiKey)
    const profiles = parses(ProfileListSchema, (await api.get('/api/profiles')).body).data
    expect(profiles.map((profile) => profile.platform)).toEqual(['instagram', 'facebook', 'tiktok', 'instagram'])
    const chatsOf = async (profileId: string) => parses(ChatPageSchema, (await api.get(`/api/profiles/${profileId}/chats?per_page=100`)).body)
    const [studio, page, , school] = await Promise.all(profiles.map((profile) => (profile.platform === 'tiktok' ? null : chatsOf(profile.id))))
    expect([studio!.total, page!.total, school!.total]).toEqual([12, 12, 12])
    expect((await api.get('/_sim/state')).body.counts.messages).toBe(3 * 12 * 3)
    // Each profile's people are its own; on Messenger they have a PSID and a name, no handle, no Instagram signals.
    const studioPeople = new Set(studio!.data.map((chat) => chat.participant_name))
    expect(school!.data.filter((chat) => studioPeople.has(chat.participant_name)).length).toBeLessThan(12)
    expect(page!.data.every((chat) => chat.platform === 'facebook' && chat.participant_username === null && chat.metadata === null)).toBe(true)
    expect(page!.data.every((chat) => /^\d{16}$/.test(chat.participant_external_id))).toBe(true)
    child.kill('SIGTERM')
    expect(await exitOf(child)).toBe(0)

    const firstOnly = runCli(['--profiles', 'multi', '--chats', '12', '--messages-per-chat', '3', '--seed', '7', '--no-alive'])
    const plain = JSON.parse(await firstLine(firstOnly))
    const plainApi = new SimClient(plain.url, plain.apiKey)
    const totals = await Promise.all(
      plain.profileIds.filter((id: string) => id !== plain.profileIds[2]).map(async (id: string) => parses(ChatPageSchema, (await plainApi.get(`/api/profiles/${id}/chats`)).body).total)
    )
    expect(totals).toEqual([12, 0, 0])
    firstOnly.kill('SIGTERM')
    expect(await exitOf(firstOnly)).toBe(0)
  })

  it('prints its options with --help (and -h) and exits 0 without starting', async () => {
    for (const flag of ['--help', '-h']) {
      const child = runCli([flag])
      const stdout: Buffer[] = []
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
      expect(await exitOf(child)).toBe(0)
      const text = Buffer.concat(stdout).toString()
      expect(text).toMatch(/^Usage: postproxy-simulator \[options\]/)
      for (const option of ['--port', '--scenario', '--chats', '--messages-per-chat', '--chats-on-every-profile', '--seed', '--strict-window', '--data', '--no-alive', '--alive-interval-ms', '--publish-delay-ms', '--rate-limit', '--rate-window-ms', '--latency-ms', '--api-key', '--retry-delay-scale', '--help']) {
        expect(text, option).toContain(option)
      }
    }
  })

  it('refuses bad arguments with a clear message and exit code 2', async () => {
    const child = runCli(['--scenario', 'party'])
    const stderr: Buffer[] = []
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    expect(await exitOf(child)).toBe(2)
    expect(Buffer.concat(stderr).toString()).toContain('--scenario must be demo or empty')

    const alone = runCli(['--chats', '10', '--chats-on-every-profile'])
    const aloneErr: Buffer[] = []
    alone.stderr.on('data', (chunk: Buffer) => aloneErr.push(chunk))
    expect(await exitOf(alone)).toBe(2)
    expect(Buffer.concat(aloneErr).toString()).toContain('--chats-on-every-profile needs --chats N and --profiles multi.')
  })
})
