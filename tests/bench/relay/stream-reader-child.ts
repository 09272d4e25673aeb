// The desktop that streams while the capacity search runs, in a process of its own: it holds the device's
// event stream (the relay's protocol over node:http), parses every frame, checks that seqs only grow, and
// acks once a second, as the desktop does; it does not apply events to a store (the catch-up phase
// measures that), so its CPU stays out of the relay's and the sender's way on a 2-core machine.
// Prints `connected`, then `seq <highest seq received> <webhook frames>` at most every 100 ms.
// Usage: node stream-reader-child.ts <events url> <device token>
import { request } from 'node:http'
import { SseParser } from '../../integration/relay/helpers/sse-client.ts'

const [eventsUrl, token] = process.argv.slice(2)
let highest = 0
let frames = 0
let reported = ''

const report = (): void => {
  const line = `seq ${highest} ${frames}`
  if (line !== reported) process.stdout.write(`${line}\n`)
  reported = line
}
setInterval(report, 100)

const ack = (): void => {
  if (highest === 0) return
  const body = JSON.stringify({ up_to: highest })
  const url = new URL(eventsUrl.replace(/\/events$/, '/ack'))
  const req = request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } })
  req.on('response', (response) => response.resume())
  req.on('error', () => {})
  req.end(body)
}
setInterval(ack, 1000)

const parser = new SseParser()
const req = request(eventsUrl, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'last-event-id': '0' } })
req.on('response', (response) => {
  if (response.statusCode !== 200) {
    process.stderr.write(`stream-reader: the event stream answered ${response.statusCode}\n`)
    process.exit(1)
  }
  process.stdout.write('connected\n')
  response.on('data', (chunk: Buffer) => {
    for (const frame of parser.push(chunk)) {
      if (frame.event !== 'webhook') continue
      const seq = (JSON.parse(frame.data) as { seq: number }).seq
      if (seq <= highest) {
        process.stderr.write(`stream-reader: seq ${seq} after ${highest}\n`)
        process.exit(1)
      }
      highest = seq
      frames += 1
    }
  })
  response.on('end', () => {
    report()
    process.stderr.write('stream-reader: the relay ended the stream\n')
    process.exit(1)
  })
})
req.on('error', (error) => {
  process.stderr.write(`stream-reader: ${error.message}\n`)
  process.exit(1)
})
req.end()
process.on('SIGTERM', () => {
  report()
  process.exit(0)
})
