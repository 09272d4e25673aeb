// What the demo's personas say when they write in while the app is open.

/** Follow-ups from someone already in the inbox. */
export const FOLLOW_UP_LINES: readonly string[] = [
  'Thank you so much!! 💛',
  'Just ordered 🎉',
  'Any news on my order? No rush!',
  "Can't wait for Friday's drop",
  'Here it is in its new home',
  'Quick question: do you have this in a bigger size?',
  'Is the sage one back in stock?',
  'My sister wants one too 😄 is there a discount for two?',
  'Could you add a gift note to my order?',
  'Sorry, one more question about shipping',
  'Omg it arrived and it is even prettier in person',
  'Do you have any workshop spots left this month?',
  'Would you make a matching saucer?',
  'Thanks for the quick reply!',
  'haha yes exactly',
  'ok perfect 👍'
]

/** Lines that go with a photo. */
export const PHOTO_LINES: readonly string[] = [
  'Look how good it looks on my shelf!',
  'Morning coffee with my new favourite mug ☕',
  'Does this colour exist in your shop?',
  'Arrived safe and sound!',
  ''
]

/** First messages from people who were not in the inbox yet. */
export const OPENING_LINES: readonly string[] = [
  'Hi! A friend showed me your page and I am in love. Do you ship to Canada?',
  'Hello! Are you taking custom orders right now?',
  'Hi, is the oatmeal mug dishwasher safe?',
  'Hey! Saw you at the market last weekend, do you have a shop?',
  'Hi there, do you do wholesale for small cafés?',
  'Hello! I would love to book a wheel-throwing workshop for two',
  'Hi! Do you sell gift cards?',
  'Your glazes are unreal 😍 how do you get that speckle?'
]

/** Comments on the studio's posts. */
export const COMMENT_LINES: readonly string[] = [
  'Stunning 😍',
  'Is this one still available?',
  'The colour!! 💚',
  'Do you ship to the UK?',
  'Need this in my kitchen',
  'How much is the large one?',
  'Take my money 😂',
  'When is the next drop?'
]

/** Replies to someone else's comment. */
export const COMMENT_REPLY_LINES: readonly string[] = ['Same question!', 'Agreed!!', 'I have one, it is even better in person', '😍😍']
