// The studio's Facebook Page in the multi-profile world: its Messenger inbox, its Page posts and the
// comments on them. Messenger's people are an older, local crowd (markets, gifts, wholesale) and have
// no Instagram handle: a chat is known by the person's name and PSID. Meta gives no participant
// signals on Messenger, and there are no story replies, story mentions or unsends there; people react
// with any emoji, and the Page may too (written with `theyReact` / `studioReacts`).
import type { ScriptComment, ScriptPost } from './demo-posts.ts'
import { me, them, type ScriptChat } from './demo-script.ts'

export type PagePostKey = 'market' | 'gift_cards' | 'seconds_sale'

/** `username` is only the script's key for a person here: Messenger chats carry no username. */
export const MESSENGER_CHATS: readonly ScriptChat[] = [
  {
    username: 'margaret.ellis',
    name: 'Margaret Ellis',
    hasAvatar: true,
    signals: null,
    placement: 'open',
    lines: [
      '> Hello, my daughter is getting married in September and I would like to give her a set of your bowls.',
      '> Do you do gift boxes? I am not very good at wrapping!',
      '< Hello Margaret, congratulations to your daughter! Yes, every gift set comes in a kraft box with tissue and a card.',
      me('A set of four pasta bowls in sage is our most popular wedding gift.', { theyReact: '👍' }),
      them('Lovely. Can you write a card for me?', { studioReacts: '❤️' }),
      '< Of course. Just tell me what you would like it to say.',
      '> "To Anna and Ben, with all my love, Mum"',
      '> And can I collect it at the market on Saturday instead of shipping?'
    ]
  },
  {
    username: 'harbor.street.market',
    name: 'Harbor Street Market',
    hasAvatar: true,
    signals: null,
    placement: 'open',
    lines: [
      '> Hi Clay & Tide! Applications for the winter market are open. Would you like a stall again this year?',
      '< Hi! Yes please, we loved it last year. Same spot near the entrance if possible?',
      '> We will do our best. Stalls are $60 for the weekend.',
      me('Which weekend suits you for the setup visit?', {
        quickReplies: [
          { title: 'Nov 29-30', payload: 'SETUP_NOV_29' },
          { title: 'Dec 6-7', payload: 'SETUP_DEC_6' }
        ],
        buttons: [{ type: 'web_url', title: 'Our stall last year', url: 'https://clayandtide.example/market' }]
      }),
      them('Dec 6-7', { tapped: { kind: 'quick_reply', payload: 'SETUP_DEC_6' } }),
      '< Perfect, see you on the 6th!'
    ]
  },
  {
    username: 'daniel.okoro',
    name: 'Daniel Okoro',
    hasAvatar: false,
    signals: null,
    referral: { ref: 'gift_guide', source: 'ADS', type: 'OPEN_THREAD' },
    placement: 'open',
    lines: [
      '> Hi, I saw your ad for the holiday gift guide. Do the mugs come in a pair?',
      '< Hi Daniel! Yes, any two mugs can be a gift pair with 10% off.',
      them('Great, I will have a look at the colours tonight 🙂', { edited: true })
    ]
  },
  {
    username: 'ruth.anders',
    name: 'Ruth Anders',
    hasAvatar: true,
    signals: null,
    placement: 'open',
    lines: [
      '> Good morning! Do you sell vouchers for the pottery classes? My husband has always wanted to try.',
      '< Good morning Ruth! Yes, class vouchers are $85 and valid for a year.',
      me(undefined, { image: { scene: 'rings', glaze: 'terracotta', backdrop: 'cream' } }),
      '< This is what the beginners make in their first session.',
      them('He will love that. How do I pay?', { repliesTo: 1, studioReacts: '😆' }),
      '> I am not on the website much, can I pay by bank transfer?'
    ]
  },
  {
    username: 'tom.gallagher',
    name: 'Tom Gallagher',
    hasAvatar: false,
    signals: null,
    placement: 'closing_soon',
    lines: [
      '> My order arrived today but one of the plates has a crack 😞',
      them(undefined, { image: { scene: 'broken-mug', glaze: 'oatmeal', backdrop: 'walnut' } }),
      '< Oh no, I am so sorry Tom! That should never happen.',
      '< I will send a replacement this week. No need to return the broken one.',
      them('Thank you, that is very kind.', { studioReacts: '❤️' })
    ]
  },
  {
    username: 'priya.nair',
    name: 'Priya Nair',
    hasAvatar: true,
    signals: null,
    placement: 'human_agent',
    lastInboundHoursAgo: 60,
    lines: [
      '> Hi, I ordered a vase 10 days ago and the tracking has not moved.',
      '< Hi Priya, let me check with the courier.',
      '> Thank you. It is a birthday present for Friday.',
      me('Update: the courier found it, it arrives Thursday. I added a little gift for the wait.', { humanAgent: true, afterMinutes: 1800 })
    ]
  },
  {
    username: 'lucia.fernandez',
    name: 'Lucía Fernández',
    hasAvatar: false,
    signals: null,
    placement: 'closed',
    lastInboundHoursAgo: 30 * 24,
    lines: [
      '> Hola! Do you ship to Spain?',
      '< Hola Lucía! Yes, we ship across the EU, usually 5-8 business days.',
      '> Gracias!',
      me('Hi Lucía, the blue vases you asked about are back in stock!', { failedOutsideWindow: true, afterMinutes: 14_400 })
    ]
  },
  {
    // Pre-created by PSID from a comment on the Page: no conversation yet, only a private reply reaches her.
    username: 'grace.whitfield',
    name: 'Grace Whitfield',
    hasAvatar: false,
    signals: null,
    placement: 'never_opened',
    lines: []
  }
]

/** The Page's posts, newest first. */
export const PAGE_POSTS: readonly ScriptPost<PagePostKey>[] = [
  {
    key: 'market',
    caption: 'Find us at the Harbor Street winter market this weekend! Mugs, bowls and a few seconds at a discount.',
    image: { scene: 'mug', glaze: 'ochre', backdrop: 'cream' },
    daysAgo: 2
  },
  {
    key: 'gift_cards',
    caption: 'Gift cards and class vouchers are back for the holidays. Message us and we will post them with a handwritten card.',
    image: { scene: 'stripes', glaze: 'sage', backdrop: 'oatmeal' },
    daysAgo: 6
  },
  {
    key: 'seconds_sale',
    caption: 'Seconds sale! Pieces with tiny glaze flaws, 30% off, studio pickup only.',
    image: { scene: 'bowl', glaze: 'charcoal', backdrop: 'sky' },
    daysAgo: 16
  }
]

export const PAGE_COMMENTS: readonly ScriptComment<PagePostKey>[] = [
  { post: 'market', by: { chat: 'grace.whitfield' }, text: 'Will you have the big serving bowls there?', hoursAgo: 5 },
  {
    post: 'market',
    by: { chat: 'margaret.ellis' },
    text: 'See you Saturday!',
    hoursAgo: 20,
    likes: 3,
    studioLikesIt: true,
    replies: [{ by: 'studio', text: 'See you there Margaret!', minutesAfter: 25 }]
  },
  { post: 'gift_cards', by: { chat: 'ruth.anders' }, text: 'Just sent you a message about a voucher 🙂', hoursAgo: 70 },
  { post: 'gift_cards', by: { username: 'peter.hall', name: 'Peter Hall' }, text: 'Can vouchers be used online too?', hoursAgo: 100, likes: 1 },
  {
    post: 'seconds_sale',
    by: { username: 'joan.mckay', name: 'Joan McKay' },
    text: 'Any seconds left in blue?',
    hoursAgo: 15 * 24,
    replies: [{ by: 'studio', text: 'A few small bowls, come by on Saturday!', minutesAfter: 60 }]
  }
]
