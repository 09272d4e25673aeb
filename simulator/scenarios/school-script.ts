// The second Instagram account of the multi-profile world: Tide Clay School, the wheel-throwing classes
// Noor runs beside the studio, in a profile group of its own (Postproxy: a group holds at most one
// profile per platform). Students, would-be students and a teacher, with Instagram's participant
// signals, a story reply, and the school's own ice breakers.
import type { IceBreaker } from '../../shared/postproxy-interactive.ts'
import type { ScriptComment, ScriptPost } from './demo-posts.ts'
import { me, signals, them, type ScriptChat } from './demo-script.ts'

export type SchoolPostKey = 'term_dates' | 'student_work' | 'open_studio'

export const SCHOOL_NAME = 'Tide Clay School'
export const SCHOOL_USERNAME = 'tide.clayschool'

export const SCHOOL_CHATS: readonly ScriptChat[] = [
  {
    username: 'jonas.throws',
    name: 'Jonas Berg',
    hasAvatar: true,
    signals: signals(false, 380, true, false),
    placement: 'open',
    lines: [
      '> Hi! Is the Tuesday evening course still open for the autumn term?',
      '< Hi Jonas! Two places left on Tuesdays, 6:30 to 9pm, eight weeks.',
      '> Do I need any experience?',
      me('None at all, the Tuesday group is for complete beginners.', { theyLoveIt: true }),
      '> Great, how do I sign up?'
    ]
  },
  {
    username: 'mira.makes.mugs',
    name: 'Mira Santos',
    hasAvatar: true,
    signals: signals(false, 1820, true, true),
    placement: 'open',
    lines: [
      them('this is so satisfying to watch 😍', { storyReply: { scene: 'rings', glaze: 'celadon', backdrop: 'walnut', format: 'story' } }),
      '< Thank you Mira! That was centering practice from Saturday class.',
      '> I still cannot center 2kg without wobbling haha',
      them('Is there a practice session this week?', { studioLovesIt: true })
    ]
  },
  {
    username: 'clayteacher.rosa',
    name: 'Rosa Lindgren',
    hasAvatar: true,
    signals: signals(true, 86_000, false, true),
    placement: 'closing_soon',
    lines: [
      '> Hej Noor! I teach glaze chemistry in Malmö. Would your school host a weekend guest workshop?',
      '< Rosa! I have followed your glaze tests for years. We would be honoured.',
      '> Wonderful. Spring would suit me best, maybe April?',
      '< April works. I will check the kiln schedule and come back with two dates.'
    ]
  },
  {
    username: 'ella.first.pot',
    name: 'Ella Murphy',
    hasAvatar: false,
    signals: signals(false, 95, false, false),
    placement: 'human_agent',
    lastInboundHoursAgo: 40,
    lines: [
      '> Hi, I missed last week’s class because I was sick. Can I make it up?',
      me('Hi Ella, get well soon! You can join the Thursday group next week instead.', { afterMinutes: 28 * 60, humanAgent: true })
    ]
  },
  {
    username: 'kofi.kilnside',
    name: 'Kofi Mensah',
    hasAvatar: true,
    signals: signals(false, 2200, true, false),
    placement: 'closed',
    lines: [
      '> Do you rent kiln space to independent potters?',
      '< Hi Kofi, yes, a shelf in a bisque firing is $20.',
      '> Good to know, thanks!'
    ]
  },
  {
    username: 'ines.weekend',
    name: 'Inês Carvalho',
    hasAvatar: false,
    signals: null,
    placement: 'open',
    lines: [
      // Opened with one of the school's ice breakers.
      them('How long is a course?', { tapped: { kind: 'postback', payload: 'ICE_COURSE_LENGTH' } }),
      '< Hi Inês! Courses run eight weeks, one evening a week.',
      '> And the weekend intensives?',
      '< Those are two full days, Saturday and Sunday.'
    ]
  }
]

export const SCHOOL_POSTS: readonly ScriptPost<SchoolPostKey>[] = [
  {
    key: 'term_dates',
    caption: 'Autumn term dates are out! Beginners on Tuesdays, improvers on Thursdays, intensives one weekend a month.',
    image: { scene: 'sketch', glaze: 'charcoal', backdrop: 'cream' },
    daysAgo: 1
  },
  {
    key: 'student_work',
    caption: 'Look what the Thursday group made this term 👏 First bowls, first handles, first glazes.',
    image: { scene: 'bowl', glaze: 'blush', backdrop: 'sky' },
    daysAgo: 4
  },
  {
    key: 'open_studio',
    caption: 'Open studio night: come and try the wheel for free, Friday from 6pm.',
    image: { scene: 'rings', glaze: 'plum', backdrop: 'oatmeal' },
    daysAgo: 12
  }
]

export const SCHOOL_COMMENTS: readonly ScriptComment<SchoolPostKey>[] = [
  { post: 'term_dates', by: { username: 'olaf.learns', name: 'Olaf Strand' }, text: 'Is there a waiting list for Tuesdays?', hoursAgo: 3 },
  { post: 'term_dates', by: { chat: 'jonas.throws' }, text: 'Signed up!! 🙌', hoursAgo: 10, likes: 2, studioLikesIt: true },
  {
    post: 'student_work',
    by: { chat: 'mira.makes.mugs' },
    text: 'My wobbly bowl made it onto the grid 😂',
    hoursAgo: 50,
    likes: 7,
    replies: [{ by: 'studio', text: 'Wobbly and wonderful!', minutesAfter: 40 }]
  },
  { post: 'open_studio', by: { username: 'sunny.days.ceramics', name: 'Sunny Park' }, text: 'Do I need to book?', hoursAgo: 11 * 24 }
]

export const SCHOOL_ICE_BREAKERS: readonly IceBreaker[] = [
  { question: 'How long is a course?', payload: 'ICE_COURSE_LENGTH' },
  { question: 'Do I need any experience?', payload: 'ICE_EXPERIENCE' },
  { question: 'Can I buy a class as a gift?', payload: 'ICE_GIFT_CLASS' }
]
