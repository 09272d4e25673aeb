// The demo inbox of Clay & Tide Studio, written as conversations. Who the people are and what they
// say is fixed here; when each message happened (relative to now), ids, receipts and small timing
// jitter come from the seed (see demo.ts).
//
// A line is either "> text" (the participant wrote) / "< text" (the studio replied), or a ScriptLine
// for anything more than text.
import type { ArtworkSpec } from './artwork.ts'

/** What the studio sends with a message (§9); checked by shared/interactive-rules.ts when written. */
export interface ScriptInteractive {
  quickReplies?: { title: string; payload: string }[]
  buttons?: ({ type: 'web_url'; title: string; url: string } | { type: 'postback'; title: string; payload: string })[]
  card?: { subtitle?: string; default_action?: { type: 'web_url'; url: string } }
}

/** Where the chat stands against Meta's messaging window (shared/messaging-window.ts) at scenario time. */
export type WindowPlacement =
  | 'open'
  /** Less than two hours of the 24-hour window left. */
  | 'closing_soon'
  /** Past 24 hours but within 7 days: only a HUMAN_AGENT reply is allowed. */
  | 'human_agent'
  /** Older than 7 days. */
  | 'closed'
  /** Pre-created; the participant never wrote. */
  | 'never_opened'

export interface ScriptLine extends ScriptInteractive {
  from: 'them' | 'me'
  text?: string
  image?: ArtworkSpec
  /** They replied to this story of the studio's. */
  storyReply?: ArtworkSpec
  /** Their story mentioned the studio; the asset is mirrored. */
  storyMention?: ArtworkSpec
  /** They unsent it a couple of minutes later. */
  unsent?: boolean
  edited?: boolean
  /** A message type Postproxy cannot show (a voice note, here). */
  unsupported?: boolean
  /** The participant reacted ❤️ (on a studio message). */
  theyLoveIt?: boolean
  /** The studio reacted ❤️ (on a participant message). */
  studioLovesIt?: boolean
  /** The participant reacted with this emoji (Messenger takes any; Instagram's names it `other` unless ❤️). */
  theyReact?: string
  /** The studio reacted with this emoji (Messenger only: Instagram's business reacts with ❤️ alone). */
  studioReacts?: string
  /** A studio reply sent after the window closed, which Instagram refused. */
  failedOutsideWindow?: boolean
  humanAgent?: boolean
  repliesToPrevious?: boolean
  /** Answers an earlier line of the chat (its index), shown quoted. */
  repliesTo?: number
  /** They tapped a quick reply, a button or an ice breaker: `text` is its title. */
  tapped?: { kind: 'quick_reply' | 'postback'; payload: string }
  /** Minutes after the previous message; otherwise a short conversational gap. */
  afterMinutes?: number
}

export interface ParticipantSignals {
  verified: boolean
  followers: number
  followsStudio: boolean
  studioFollows: boolean
}

export interface ScriptChat {
  username: string
  name: string | null
  hasAvatar: boolean
  /** null: Meta has not given any signals for this participant. */
  signals: ParticipantSignals | null
  /** The chat was opened from an ig.me link. */
  referral?: { ref: string; source: string; type: string }
  placement: WindowPlacement
  /** Pins the time of their last message instead of drawing it from the placement's range. */
  lastInboundHoursAgo?: number
  lines: (string | ScriptLine)[]
}

export const them = (text: string | undefined, extra: Omit<ScriptLine, 'from' | 'text'> = {}): ScriptLine => ({ from: 'them', text, ...extra })
export const me = (text: string | undefined, extra: Omit<ScriptLine, 'from' | 'text'> = {}): ScriptLine => ({ from: 'me', text, ...extra })
export const signals = (verified: boolean, followers: number, followsStudio: boolean, studioFollows: boolean): ParticipantSignals => ({
  verified,
  followers,
  followsStudio,
  studioFollows
})

export const DEMO_CHATS: readonly ScriptChat[] = [
  // ---- open: inside the 24-hour window ----
  {
    username: 'maya.bakes.bread',
    name: 'Maya Lindqvist',
    hasAvatar: true,
    signals: signals(false, 2340, true, false),
    placement: 'open',
    lines: [
      '> Hi! I have been eyeing the oatmeal speckled mug for weeks 🙈',
      '> Do you ship to Sweden?',
      '< Hi Maya! Yes, we ship to Sweden with tracked postage, usually 7–12 business days.',
      '< International shipping is a flat $28, and I pack everything in recycled paper so it travels safely.',
      them('Perfect, thank you so much! Ordering tonight then ☺️', { studioLovesIt: true }),
      '< Yay! Let me know if you have any questions.',
      '> Quick one: is it dishwasher safe or should I hand wash?',
      '> Also will there be customs fees on my side?'
    ]
  },
  {
    username: 'theslowcafe',
    name: 'The Slow Café',
    hasAvatar: true,
    signals: signals(false, 8912, true, true),
    placement: 'open',
    lines: [
      '> Hello Clay & Tide! We are opening a second location in Portland this autumn and would love your cups behind the bar.',
      '> Do you do wholesale? We would need around 60 cups, 8 oz, stackable if possible.',
      '< Hi! Thank you for thinking of us. Yes, we take a few wholesale orders each season.',
      '< 60 stackable 8 oz cups is doable. Lead time is about 8 weeks from deposit.',
      '> Amazing. What glazes could we pick from?',
      me(undefined, { image: { scene: 'swatches', glaze: 'sage', backdrop: 'walnut' } }),
      '< These are the glazes that hold up best to café use. Sage and celadon are the most popular.',
      them('Here is our counter so you can see the vibe', { image: { scene: 'checks', glaze: 'walnut', backdrop: 'cream' } }),
      '> I think celadon would look lovely against the wood.',
      '< Agreed, celadon with the oak would be beautiful.',
      '< Wholesale price is $24 per cup, 50% deposit, balance on delivery. I can send a proper quote by email.',
      '> Sounds great. Our email is hello@theslowcafe.com',
      them('Could we come by the studio to see a sample first?', { afterMinutes: 180 }),
      '< Of course! Thursday afternoons work best for me.'
    ]
  },
  {
    username: 'priya.moves',
    name: 'Priya Raman',
    hasAvatar: true,
    signals: signals(true, 1_200_000, true, true),
    placement: 'open',
    lines: [
      '> Hi Noor! I am Priya, I share slow-living and morning routines with my community.',
      '> I have been using a mug I bought from your spring drop every single day and my followers keep asking about it.',
      '> Would you be open to a collab? I was thinking a limited colourway, designed together.',
      me('Priya, wow, thank you! I have followed your work for a long time.', { theyLoveIt: true }),
      '< I would love to talk about a collab. How many pieces were you imagining?',
      '> Something small and special, maybe 200 mugs?',
      '> My manager Alex can share the details. Is email best?',
      '< Email is perfect: studio@clayandtide.com. 200 is a lot for me alone, but with a longer lead time I can make it work.',
      them('Amazing!! Talk soon 💛', { studioLovesIt: true }),
      '> PS: Alex will reach out this week.'
    ]
  },
  {
    username: 'lena_draws',
    name: 'Lena Okafor',
    hasAvatar: true,
    signals: signals(false, 640, true, false),
    placement: 'open',
    lines: [
      them('omg that glaze!! is it available?', { storyReply: { scene: 'vase', glaze: 'cobalt', backdrop: 'cream', format: 'story' } }),
      '< Thank you! That cobalt vase is one of a kind, but I will have more cobalt pieces in the next drop.',
      '> When is the next drop?',
      '< First Friday of the month, 10am Eastern. Turn on post notifications so you do not miss it!'
    ]
  },
  {
    username: 'hannah.at.home',
    name: 'Hannah Kim',
    hasAvatar: true,
    signals: signals(false, 15_300, true, true),
    placement: 'open',
    lines: [
      them(undefined, { storyMention: { scene: 'mug', glaze: 'blush', backdrop: 'sky', format: 'story' } }),
      '> Thank you for my mug!! Using it every morning ☕',
      me('Aww Hannah, this made my day. Thank you for sharing it!', { theyLoveIt: true }),
      '> Already planning my next order hehe'
    ]
  },
  {
    username: 'tom.becker.cooks',
    name: 'Tom Becker',
    hasAvatar: false,
    signals: signals(false, 120, false, false),
    placement: 'open',
    lines: [
      '> Hey, quick question before I order: are the bowls microwave safe?',
      '< Hi Tom! Yes, all my stoneware is microwave and dishwasher safe.',
      '< The only exception is pieces with gold lustre, and those are marked in the listing.',
      '> Great. And how big is the large serving bowl?',
      '< About 10 inches across and 4 inches deep. It fits a big salad for six.',
      '> Perfect, thanks!'
    ]
  },
  {
    username: 'sofia.reyes.home',
    name: 'Sofia Reyes',
    hasAvatar: true,
    signals: signals(false, 4210, false, false),
    referral: { ref: 'spring_drop', source: 'SHORTLINK', type: 'OPEN_THREAD' },
    placement: 'open',
    lines: [
      '> Hi! I clicked the link for the spring drop. Is the speckled bowl set still available?',
      '< Hi Sofia! There are two sets left in oatmeal and one in sage.',
      '> Sage please! Can I pick it up in person? I live in South Portland.',
      '< Absolutely. Local pickup is free, just choose it at checkout.',
      '> Done! Order #1047 😊'
    ]
  },
  {
    username: 'growth.boost.official',
    name: 'Growth Boost',
    hasAvatar: false,
    signals: signals(false, 12, false, false),
    placement: 'open',
    lines: [
      '> Hey dear 👋 We loved your page!! Your content deserves more eyes.',
      '> Get 10K REAL followers in 7 days, guaranteed. Only $49 this week!',
      '> Reply YES to start today 🚀🚀'
    ]
  },
  {
    username: 'emma.and.theo',
    name: 'Emma Walsh',
    hasAvatar: true,
    signals: signals(false, 1830, true, true),
    placement: 'open',
    lines: [
      '> Hi Noor! My fiancé Theo and I are getting married in October and we would love a custom dinnerware set for our registry.',
      '< Congratulations to you both! I would be honoured. What were you imagining?',
      '> Something simple: dinner plates, side plates, bowls and mugs. For 8 people.',
      '> We love the sage glaze, but maybe with a creamy rim?',
      '< Sage with a cream rim is lovely. I have done that combination on bowls before.',
      me(undefined, { image: { scene: 'bowl', glaze: 'sage', backdrop: 'cream' } }),
      '< Like this, but the rim would be a bit wider on plates.',
      them('Oh that is exactly it 😍', { studioLovesIt: true }),
      '> How long would 32 pieces take?',
      '< Around 10 weeks, since dinner plates need slow drying so they do not warp.',
      '> October 12 is the wedding, so that works if we start soon.',
      '< We can start this month. I will send a quote with a registry link your guests can use.',
      '> Can guests buy single pieces, or only full settings?',
      '< Single pieces are fine. I track it so you end up with complete settings.',
      them('That is so thoughtful. Theo says hi!', { afterMinutes: 300 }),
      '< Hi Theo! 👋',
      '> One more thing: could we add a serving platter?',
      '< Yes! A large oval platter in the same glaze would tie it together.',
      '> What would that add to the total?',
      '< The platter is $120. The full set with platter comes to $1,640.',
      '> Great, we will go for it.',
      '< Wonderful. I will send the invoice for the 30% deposit today.',
      them('Paid! 🎉', { afterMinutes: 240 }),
      me('Got it, thank you! I will throw the first test plate this week.', { theyLoveIt: true }),
      them('Could you send a photo when it is out of the kiln?', { afterMinutes: 600 }),
      '< Of course. The first firing is on Tuesday.',
      me(undefined, { image: { scene: 'plate', glaze: 'sage', backdrop: 'oatmeal' }, afterMinutes: 900 }),
      '< Fresh out of the glaze firing!',
      '> IT IS PERFECT. I am crying a little.',
      '> Can the mugs have a slightly bigger handle? Theo has big hands 😂'
    ]
  },
  {
    username: 'marco.visuals',
    name: 'Marco Bianchi',
    hasAvatar: true,
    signals: signals(false, 48_000, true, false),
    placement: 'open',
    lines: [
      '> Ciao Noor! I am a product photographer and I love your work.',
      '> Would you be interested in a shoot for your next drop? I can do a studio day in exchange for a few pieces.',
      them('Sorry, wrong chat, that was meant for someone else 🙈', { unsent: true }),
      '< Hi Marco! That sounds fun. What does a studio day usually include?',
      '> About 20 edited images, natural light, styled with linen and some food props.',
      '< I love that. Let me check my schedule for next month.',
      '> No rush! Here is my portfolio link: marcobianchi.photo'
    ]
  },
  {
    username: 'k.nguyen',
    name: 'Kim Nguyen',
    hasAvatar: false,
    signals: null,
    placement: 'open',
    lines: [
      // Kim opened the chat by tapping one of the studio's ice breakers.
      them('Do you sell gift cards?', { tapped: { kind: 'postback', payload: 'ICE_GIFT_CARDS' } }),
      '< Hi Kim! Yes, digital gift cards from $25 are on the website under "Gifts".',
      '> perfect ty'
    ]
  },
  {
    username: 'dan.moreau',
    name: 'Dan Moreau',
    hasAvatar: false,
    signals: signals(false, 310, false, false),
    placement: 'open',
    lines: [
      '> Hi, I want to surprise my mom for Mother\'s Day. Do you offer gift wrapping?',
      '< Hi Dan! Yes, gift wrapping is $5 and I can add a handwritten note.',
      '> Amazing. Can the note say "For the best mom, love Dan"?',
      '< Of course. Just paste it in the order notes.',
      '< And if you order by Wednesday it will arrive before Sunday.'
    ]
  },
  {
    username: 'ari.sounds',
    name: 'Ari Cohen',
    hasAvatar: true,
    signals: signals(false, 2710, true, false),
    placement: 'open',
    lines: [
      them(undefined, { unsupported: true }),
      '> sorry, sent a voice note, not sure it goes through',
      '> do you still have the tall blue vase from your last post?',
      '< Hi Ari! Voice notes do not come through on my side, sorry. The tall cobalt vase is still available!'
    ]
  },
  {
    username: 'bea.in.bloom',
    name: 'Beatriz Alves',
    hasAvatar: true,
    signals: signals(false, 12_400, true, true),
    placement: 'open',
    lines: [
      '> Hi! I run a small flower studio. Your bud vases would be perfect for our wedding tables.',
      them('Could I order 24 of the small ones in mixed glazes?', { edited: true }),
      '< Hi Beatriz! 24 mixed bud vases is a lovely order. When is your event?',
      '> June 14. Is that too soon?',
      '< That works. I have 15 ready now and can make the rest in three weeks.',
      them('You are a star ⭐', { repliesToPrevious: true, studioLovesIt: true })
    ]
  },

  // ---- closing soon: under two hours of the window left ----
  {
    username: 'nora.writes',
    name: 'Nora Hall',
    hasAvatar: true,
    signals: signals(true, 312_000, false, true),
    placement: 'closing_soon',
    lines: [
      '> Hi Noor, I am an editor at Dwell & Make. We are doing a feature on small ceramic studios in New England.',
      '> Would you have 20 minutes for a phone interview this week?',
      '< Hi Nora, I would love that! Thank you for thinking of me.',
      '> Wonderful. Could you also send 3–4 high-res photos of your studio?',
      '> Our deadline is Friday, so anything by Thursday would be ideal.'
    ]
  },
  {
    username: 'rustic.table.co',
    name: 'Rustic Table Co.',
    hasAvatar: true,
    signals: signals(false, 6100, false, false),
    placement: 'closing_soon',
    lines: [
      '> Hello, we are a home goods shop in Burlington VT.',
      '> Could you send us your wholesale price list and minimums?',
      '< Hi! Thanks for reaching out. My minimum wholesale order is $500.',
      '> Great, and do you offer exclusivity per town?',
      '> We would love to be the only stockist in Burlington.'
    ]
  },
  {
    username: 'sam_runs_far',
    name: 'Sam Ortega',
    hasAvatar: false,
    signals: signals(false, 980, true, false),
    placement: 'closing_soon',
    lines: [
      '> Hi, my order arrived today but one of the mugs is broken 😞',
      them(undefined, { image: { scene: 'broken-mug', glaze: 'terracotta', backdrop: 'oatmeal' } }),
      '< Oh no, I am so sorry Sam! Thank you for the photo.',
      '< I will make you a replacement right away, no need to send the broken one back.',
      '> Thank you, that is really kind.',
      '> Will it be the same terracotta colour?',
      '> It was a gift so I want them to match'
    ]
  },
  {
    username: 'oliviaparkstudio',
    name: 'Olivia Park',
    hasAvatar: true,
    signals: signals(false, 89_000, true, true),
    placement: 'closing_soon',
    lines: [
      // Quick replies and the tap that answered them, a button card and its postback tap, and messages
      // quoting earlier ones both ways.
      '> Hi! Is there still space in the Saturday wheel-throwing workshop?',
      me('Hi Olivia! Two spots left. Which session works for you?', {
        quickReplies: [
          { title: 'Saturday 10am', payload: 'WORKSHOP_SAT_AM' },
          { title: 'Saturday 2pm', payload: 'WORKSHOP_SAT_PM' },
          { title: 'Sunday 11am', payload: 'WORKSHOP_SUN' }
        ]
      }),
      them('Saturday 10am', { tapped: { kind: 'quick_reply', payload: 'WORKSHOP_SAT_AM' } }),
      me('You are booked for Saturday at 10am 🎉', {
        buttons: [
          { type: 'web_url', title: 'Workshop details', url: 'https://clayandtide.example/workshops' },
          { type: 'postback', title: 'Bring a friend', payload: 'WORKSHOP_ADD_FRIEND' }
        ],
        card: { subtitle: 'Saturday 10am–12pm · Clay & Tide Studio', default_action: { type: 'web_url', url: 'https://clayandtide.example/workshops' } }
      }),
      them('Bring a friend', { tapped: { kind: 'postback', payload: 'WORKSHOP_ADD_FRIEND' } }),
      '< Of course! The second spot is saved for them.',
      them('It is my sister. Is it two hours, like the card says?', { repliesTo: 3 }),
      me('Yes, two hours with a tea break in the middle.', { repliesTo: 6 }),
      '> Also do we need to bring anything?'
    ]
  },

  // ---- past 24 hours, within 7 days: a HUMAN_AGENT reply only ----
  {
    username: 'grace.collects',
    name: 'Grace Liu',
    hasAvatar: true,
    signals: signals(false, 3400, true, false),
    placement: 'human_agent',
    lastInboundHoursAgo: 52,
    lines: [
      '> Hi! I ordered the celadon vase last week. Has it shipped yet?',
      '> The tracking link does not seem to work.',
      me('Hi Grace, so sorry for the slow reply! It shipped Monday, here is the new tracking number: 9400 1000 0000 0000 0000 00', {
        afterMinutes: 26 * 60,
        failedOutsideWindow: true
      }),
      me('Hi Grace, sorry for the delay! Your vase shipped Monday. New tracking number: 9400 1000 0000 0000 0000 00', {
        afterMinutes: 4,
        humanAgent: true
      })
    ]
  },
  {
    username: 'the.plant.corner',
    name: 'The Plant Corner',
    hasAvatar: true,
    signals: signals(false, 22_000, true, true),
    placement: 'human_agent',
    lines: [
      '> Hi there! We are a plant shop and we love your planters.',
      '> Do you make them with drainage holes and saucers?',
      '< Hi! Yes, all planters have a drainage hole and a matching saucer.',
      me(undefined, { image: { scene: 'bowl', glaze: 'terracotta', backdrop: 'sage' } }),
      '< Here is the medium size in terracotta.',
      '> Gorgeous. Could we order 30 in mixed sizes?',
      '< Definitely. I will put together a quote.',
      '> Thanks! Looking forward to it 🌿'
    ]
  },
  {
    username: 'felix.makes',
    name: 'Felix Wagner',
    hasAvatar: true,
    signals: signals(false, 5400, true, true),
    placement: 'human_agent',
    lines: [
      '> Hey Noor, fellow potter here 👋 How do you get that speckle in your oatmeal glaze?',
      '< Hi Felix! It comes from the clay body, a speckled stoneware with manganese.',
      '< The glaze is a fairly thin satin matte so the speckles bleed through.',
      '> Ahh that makes sense. Do you fire to cone 6?',
      '< Yes, cone 6 oxidation, with a slow cool of about 150°F per hour.',
      them('Slow cool is the secret then. Thanks for sharing!', { studioLovesIt: true }),
      '< Anytime! Potters helping potters.',
      '> If you ever need kiln shelves I have some spares.',
      '< Oh, I might take you up on that!',
      '> Just shout 😄'
    ]
  },
  {
    username: 'aisha.eats',
    name: 'Aisha Bello',
    hasAvatar: true,
    signals: signals(true, 540_000, true, true),
    placement: 'human_agent',
    lines: [
      '> Hi Noor! I am a food photographer and recipe developer.',
      '> Your plates would look incredible in my cookbook shoot. Could I rent or buy a set of 6?',
      '< Hi Aisha! I would love to see my plates in a cookbook.',
      me(undefined, { image: { scene: 'plate', glaze: 'charcoal', backdrop: 'oatmeal' } }),
      '< The charcoal ones are great for food, colours really pop on them.',
      '> Oh yes, charcoal is perfect!',
      '> Can I buy 6 dinner plates and 6 side plates?',
      me('Yes! I will set them aside for you and send an invoice.', { theyLoveIt: true }),
      '> And I will credit you in the book of course 🙏'
    ]
  },
  {
    username: 'jules.vintage',
    name: 'Jules Martin',
    hasAvatar: false,
    signals: signals(false, 860, true, false),
    placement: 'human_agent',
    lines: [
      them('need this vase in my life 😭', { storyReply: { scene: 'vase', glaze: 'ochre', backdrop: 'plum', format: 'story' } }),
      '< Ha, thank you! That one goes live in Friday\'s drop.',
      '> setting an alarm!!'
    ]
  },
  {
    username: 'kate.obrien.mom',
    name: "Kate O'Brien",
    hasAvatar: true,
    signals: signals(false, 720, true, false),
    placement: 'human_agent',
    lines: [
      '> Hi! Do you do custom name mugs for kids? I have three 😅',
      '< Hi Kate! I can carve names into the small mugs, yes.',
      '> Amazing! Names are Mia, Finn and Rosie.',
      '> Could each be a different colour?',
      '< Of course. Pink, blue and yellow are the kid favourites.',
      '> Perfect, let\'s do those!'
    ]
  },
  {
    username: 'brand.ambassador.hq',
    name: 'Brand Ambassador HQ',
    hasAvatar: false,
    signals: signals(false, 45, false, false),
    placement: 'human_agent',
    lines: [
      '> Congratulations!! 🎉 You have been selected as a brand ambassador for our new collection.',
      '> Free products + 30% commission on every sale!',
      '> DM @fashion.deals.club to claim your spot now. Limited places!!'
    ]
  },
  {
    username: 'ben.builds.things',
    name: 'Ben Carter',
    hasAvatar: false,
    signals: signals(false, 1540, false, false),
    placement: 'human_agent',
    lines: [
      '> Hi, do you make tiles? Redoing my kitchen backsplash.',
      '< Hi Ben! I don\'t usually, but I could make a small batch of accent tiles.',
      '> How many would you be able to make?',
      '< Around 40 in one batch, 4x4 inches.',
      '> That would be perfect as accents. Let me measure and get back to you.'
    ]
  },

  // ---- older than 7 days ----
  {
    username: 'lucia.morning.ritual',
    name: 'Lucía Fernández',
    hasAvatar: true,
    signals: signals(false, 2980, true, false),
    placement: 'closed',
    lines: [
      them('My coffee has never looked so good', { image: { scene: 'mug', glaze: 'oatmeal', backdrop: 'walnut' } }),
      me('This is beautiful, Lucía! Thanks for sharing.', { theyLoveIt: true }),
      '> Thank YOU. Ordering the matching bowl next.',
      '< Yay! 💛'
    ]
  },
  {
    username: 'the.kiln.guild',
    name: 'The Kiln Guild',
    hasAvatar: true,
    signals: signals(false, 9700, true, true),
    placement: 'closed',
    lines: [
      '> Hi Clay & Tide! We are organising the Holiday Makers Market on December 7–8.',
      '> Would you like a stall? Booths are $150 for the weekend.',
      '< Hi! I would love to. What size are the booths?',
      '> 10x10, with a table and two chairs included.',
      '< Great. Is there power at the booths? I use a card reader and some lights.',
      '> Yes, every booth has an outlet.',
      '< Perfect, count me in!',
      them('Wonderful, we will send the registration form by email.', { studioLovesIt: true })
    ]
  },
  {
    username: 'ollie.designs',
    name: 'Oliver Grant',
    hasAvatar: false,
    signals: signals(false, 3300, false, false),
    placement: 'closed',
    lines: [
      '> Hi, I am a graphic designer. Your logo could use a refresh, I would love to help!',
      '< Hi Oliver, thanks for the offer. I am happy with the current logo for now.',
      '> No worries! Here is my portfolio in case you change your mind.',
      them(undefined, { image: { scene: 'stripes', glaze: 'plum', backdrop: 'cream' } }),
      '< Nice work! I will keep you in mind.',
      '> Thanks 🙏'
    ]
  },
  {
    username: 'rachel.reads',
    name: 'Rachel Adams',
    hasAvatar: true,
    signals: signals(false, 7600, true, false),
    placement: 'closed',
    lines: [
      them(undefined, { storyMention: { scene: 'bowl', glaze: 'celadon', backdrop: 'walnut', format: 'story' } }),
      me('Love this reading nook! Thanks for the tag, Rachel.', { theyLoveIt: true }),
      '> Your bowl holds all my bookmarks now 😄'
    ]
  },
  {
    username: 'crypto.king.official',
    name: 'Crypto King',
    hasAvatar: false,
    signals: signals(false, 3, false, false),
    placement: 'closed',
    lines: [
      '> Hello friend. Invest $200 today and earn $5,000 in one week with my trading signals 💰',
      '> 100% guaranteed, many happy clients.',
      '> Click the link in my bio!!'
    ]
  },
  {
    username: 'greenhouse.gabi',
    name: 'Gabriela Souza',
    hasAvatar: true,
    signals: signals(false, 1290, true, false),
    placement: 'closed',
    lines: [
      '> Hi! My order #982 has not arrived yet. It has been two weeks.',
      '< Hi Gabriela, I am sorry! Let me look into it right away.',
      '< The carrier shows it stuck at the regional hub. I have opened a claim.',
      '> Thank you for checking.',
      '< It is moving again and should arrive Thursday.',
      them('It arrived!! Everything is perfect, thank you for your help.', { afterMinutes: 2 * 24 * 60 - 600, studioLovesIt: true }),
      '< So glad! Enjoy 🌱'
    ]
  },
  {
    username: 'ivy.and.oak.weddings',
    name: 'Ivy & Oak Weddings',
    hasAvatar: true,
    signals: signals(false, 31_000, true, true),
    placement: 'closed',
    lines: [
      '> Hello! I am a wedding planner. One of my couples wants handmade favours for 120 guests.',
      '> Could you make small dishes, like ring dishes, with their initials?',
      '< Hi! That sounds lovely. Yes, I can stamp initials into small dishes.',
      '< For 120 I would need about 6 weeks.',
      '> The wedding is in 9 weeks, so that works.',
      '> What would the price be?',
      '< $14 each for 120, so $1,680 total, including gift boxes.',
      '> Great. Could you do two colours, white and blush?',
      '< Yes, 60 of each works well.',
      me(undefined, { image: { scene: 'plate', glaze: 'blush', backdrop: 'cream' } }),
      '< Here is a sample in blush with the initials E & J.',
      '> The couple loves it! Sending the deposit now.'
    ]
  },
  {
    username: 'pottery.with.paul',
    name: 'Paul Mensah',
    hasAvatar: true,
    signals: signals(true, 860_000, true, true),
    placement: 'closed',
    lines: [
      '> Hey Noor! Paul here from Pottery with Paul on YouTube.',
      '> I am doing a series visiting small studios. Would you be up for an episode?',
      '< Paul! I learned to trim from your videos. I would be thrilled!',
      '> Ha, love to hear it. We would film for about half a day.',
      '> Maybe you could show your speckled mug process from start to finish?',
      '< That is perfect. Would mornings work for you?',
      '> Mornings are great. Let\'s say the 18th?',
      me('The 18th it is! See you then 🎬', { theyLoveIt: true })
    ]
  },
  {
    username: 'yuki.tea',
    name: 'Yuki Tanaka',
    hasAvatar: true,
    signals: signals(false, 4100, true, true),
    placement: 'closed',
    lines: [
      '> Good evening. I practise tea ceremony and I am looking for a handmade chawan.',
      '> Have you ever made tea bowls?',
      '< Good evening, Yuki! I have made a few, and I would love to make one for you.',
      '> Thank you. I prefer a wide bowl with a soft, uneven rim.',
      '> A dark glaze, perhaps tenmoku style?',
      '< I have a dark iron glaze that breaks to brown on the rim. It is close to tenmoku.',
      me(undefined, { image: { scene: 'bowl', glaze: 'charcoal', backdrop: 'oatmeal' } }),
      '> That is beautiful. Yes, please.',
      '< Wonderful. It will take about four weeks.',
      them('Thank you. I look forward to it.', { studioLovesIt: true })
    ]
  },
  {
    username: 'annabel.home',
    name: 'Annabel Price',
    hasAvatar: false,
    signals: signals(false, 540, true, false),
    placement: 'closed',
    lines: [
      '> Hi, the serving bowl is a bit bigger than I expected. Can I return it?',
      '< Hi Annabel! Of course, returns are accepted within 30 days.',
      '< I will email you a return label.',
      '> Thanks! Could I swap it for the medium one instead?',
      '< Yes, I will send the medium once the large one is on its way back.'
    ]
  },
  {
    username: 'leo.sketches',
    name: 'Leo Park',
    hasAvatar: true,
    signals: signals(false, 230, true, false),
    placement: 'closed',
    lines: [
      them('I drew your mug! Hope that is ok', { image: { scene: 'sketch', glaze: 'charcoal', backdrop: 'cream' } }),
      me('Leo, this is amazing! Can I share it in my stories?', { theyLoveIt: true }),
      '> Yes!! That would be so cool'
    ]
  },
  {
    username: 'haus.of.linen',
    name: 'Haus of Linen',
    hasAvatar: true,
    signals: signals(false, 67_000, true, true),
    placement: 'closed',
    lines: [
      '> Hi! We make linen tableware and think our products would pair well with yours.',
      '> Would you like to do a joint giveaway?',
      '< Hi! I love your napkins. A giveaway sounds fun.',
      '> Great! Maybe a table set: 4 plates, 4 mugs and our linen set?',
      '< Perfect. Let\'s aim for the first week of next month.',
      '> Deal! We will draft the post and share it with you.'
    ]
  },
  {
    username: 'fern.and.fig.market',
    name: 'Fern & Fig Market',
    hasAvatar: true,
    signals: signals(false, 14_200, false, true),
    placement: 'closed',
    lines: [
      '> Hi! Our customers keep asking for your mugs. Are you taking new stockists?',
      '< Hi! Not this season, my schedule is full, but I will open spots in spring.',
      '> Understood! Please keep us in mind.',
      '< Will do! I have added you to my list.'
    ]
  },

  // ---- pre-created: no message from them yet ----
  {
    username: 'clara.hoffmann',
    name: 'Clara Hoffmann',
    hasAvatar: false,
    signals: null,
    placement: 'never_opened',
    lines: []
  }
]
