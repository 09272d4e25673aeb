// The studio's Instagram posts in the demo, the comments people leave on them, and the profile's ice
// breakers. Who says what is fixed here; ids and small timing jitter come from the seed (demo.ts).
import type { IceBreaker } from '../../shared/postproxy-interactive.ts'
import type { ArtworkSpec } from './artwork.ts'

export type DemoPostKey = 'workshop' | 'spring_drop' | 'glaze_test' | 'studio_tour' | 'wedding_set' | 'kiln_day'

export interface ScriptPost<Key extends string = DemoPostKey> {
  key: Key
  caption: string
  image: ArtworkSpec
  /** When it was published, in days before now. */
  daysAgo: number
}

/** Newest first; spread over the last three weeks. */
export const DEMO_POSTS: readonly ScriptPost<DemoPostKey>[] = [
  {
    key: 'workshop',
    caption: 'Wheel-throwing workshop this Saturday 🏺 Two spots left, all clay and tea included. DM us to book!',
    image: { scene: 'rings', glaze: 'terracotta', backdrop: 'cream' },
    daysAgo: 1
  },
  {
    key: 'spring_drop',
    caption: 'The spring drop is live 🌱 Oatmeal speckled mugs, sage bowls and a few cobalt vases. Link in bio.',
    image: { scene: 'mug', glaze: 'oatmeal', backdrop: 'sage' },
    daysAgo: 3
  },
  {
    key: 'glaze_test',
    caption: "Glaze test tiles from this week's firing. Which one should join the next drop? 👀",
    image: { scene: 'swatches', glaze: 'celadon', backdrop: 'walnut' },
    daysAgo: 5
  },
  {
    key: 'studio_tour',
    caption: 'A peek inside the studio: every piece is thrown, trimmed and glazed by hand, right here.',
    image: { scene: 'bowl', glaze: 'walnut', backdrop: 'oatmeal' },
    daysAgo: 9
  },
  {
    key: 'wedding_set',
    caption: "A custom dinnerware set for Emma & Theo's wedding registry 💍 Sage with a cream rim.",
    image: { scene: 'plate', glaze: 'sage', backdrop: 'cream' },
    daysAgo: 13
  },
  {
    key: 'kiln_day',
    caption: 'Kiln day. The waiting is the hardest part 🔥',
    image: { scene: 'vase', glaze: 'cobalt', backdrop: 'ochre' },
    daysAgo: 20
  }
]

/** Someone who comments: a participant of a demo chat (by username), or a person who never wrote. */
export type ScriptCommenter = { chat: string } | { username: string; name: string }

export interface ScriptReply {
  /** 'studio': the business's own public reply. */
  by: 'studio' | ScriptCommenter
  text: string
  minutesAfter: number
}

export interface ScriptComment<Key extends string = DemoPostKey> {
  post: Key
  by: ScriptCommenter
  text: string
  hoursAgo: number
  /** Likes from other people. */
  likes?: number
  studioLikesIt?: boolean
  hidden?: boolean
  replies?: ScriptReply[]
}

/**
 * Comments: some within the last 7 days (a private reply is still possible), some older; some with
 * replies; some from people who already have a chat, some from people who never wrote.
 */
export const DEMO_COMMENTS: readonly ScriptComment<DemoPostKey>[] = [
  { post: 'workshop', by: { username: 'sam.kiln', name: 'Sam Whitaker' }, text: 'Is it beginner friendly? Never touched a wheel 🙈', hoursAgo: 2 },
  { post: 'spring_drop', by: { username: 'june.gardens', name: 'June Park' }, text: 'Is the oatmeal speckled mug still in stock? 😍', hoursAgo: 3, likes: 2 },
  {
    post: 'workshop',
    by: { username: 'followers.boost.now', name: 'Followers Boost' },
    text: '🔥 Promote this post to 50K real people 🔥 DM @followers.boost.now',
    hoursAgo: 6,
    hidden: true
  },
  {
    post: 'spring_drop',
    by: { chat: 'maya.bakes.bread' },
    text: 'Ordered mine!! Cannot wait 😍',
    hoursAgo: 20,
    likes: 4,
    studioLikesIt: true,
    replies: [{ by: 'studio', text: 'Thank you Maya! It ships on Monday 💛', minutesAfter: 35 }]
  },
  {
    post: 'glaze_test',
    by: { username: 'pia.makes.things', name: 'Pia Hoffmann' },
    text: 'The third tile, obviously 😍',
    hoursAgo: 30,
    likes: 6,
    replies: [
      { by: { username: 'ollie.clay', name: 'Ollie Brennan' }, text: 'agreed!! that blue-green is unreal', minutesAfter: 50 },
      { by: 'studio', text: 'Noted! It is a celadon over a dark slip 🌊', minutesAfter: 140 }
    ]
  },
  { post: 'spring_drop', by: { chat: 'hannah.at.home' }, text: 'Need the blush one too, my mug is lonely', hoursAgo: 50, likes: 1 },
  { post: 'glaze_test', by: { chat: 'lena_draws' }, text: 'cobalt cobalt cobalt 💙', hoursAgo: 60 },
  { post: 'studio_tour', by: { username: 'matteo.cooks', name: 'Matteo Rossi' }, text: 'Do you ship to Italy? These are gorgeous', hoursAgo: 4 * 24 },
  {
    post: 'studio_tour',
    by: { username: 'wren.and.wool', name: 'Wren Foster' },
    text: 'Would love to collab on a cosy mug + yarn set!',
    hoursAgo: 8 * 24,
    replies: [{ by: { username: 'wren.and.wool', name: 'Wren Foster' }, text: 'I will DM you 🧶', minutesAfter: 10 }]
  },
  {
    post: 'wedding_set',
    by: { username: 'theo.walsh', name: 'Theo Walsh' },
    text: 'We cannot stop looking at them. Thank you Noor!',
    hoursAgo: 12 * 24,
    likes: 9,
    studioLikesIt: true,
    replies: [{ by: 'studio', text: 'It was a joy to make. Congratulations to you both! 💍', minutesAfter: 90 }]
  },
  { post: 'kiln_day', by: { username: 'ana.ceramica', name: 'Ana Duarte' }, text: 'The suspense!! Show us when it opens', hoursAgo: 19 * 24, likes: 3 }
]

/** The FAQ prompts Instagram shows someone opening a chat with the studio for the first time. */
export const DEMO_ICE_BREAKERS: readonly IceBreaker[] = [
  { question: 'Do you ship internationally?', payload: 'ICE_SHIPPING' },
  { question: 'When is the next drop?', payload: 'ICE_NEXT_DROP' },
  { question: 'Can I book a wheel-throwing workshop?', payload: 'ICE_WORKSHOP' },
  { question: 'Do you sell gift cards?', payload: 'ICE_GIFT_CARDS' }
]
