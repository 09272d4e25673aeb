// Word lists for scale data: sentences a ceramics studio's inbox plausibly holds, assembled once
// into a pool that message generation only picks from (the scale scenario writes a million messages).
import type { SeededRandom } from './prng.ts'

const GREETINGS = ['', '', 'Hi! ', 'Hey, ', 'Hello! ', 'Hi there, ', 'Good morning! ', 'Hey hey ', 'Hiya, ']
const ITEMS = ['mug', 'bowl', 'vase', 'plate', 'planter', 'bud vase', 'serving bowl', 'tea bowl', 'ring dish', 'pitcher']
const GLAZES = ['sage', 'oatmeal', 'terracotta', 'cobalt', 'celadon', 'charcoal', 'blush', 'ochre', 'cream', 'speckled']
const PLACES = ['Canada', 'the UK', 'Germany', 'Australia', 'Japan', 'Sweden', 'Italy', 'Mexico', 'Ireland', 'France']
const SIZES = ['small', 'medium', 'large', 'tall', 'wide']
const FEELINGS = ['love', 'adore', 'am obsessed with', 'really like', 'can\'t stop looking at']
const EMOJI = ['', '', '', ' 😍', ' ☺️', ' 🙏', ' ✨', ' 💛', ' 🌿', ' ☕']
const NAMES = ['friend', 'lovely', 'there']

const INBOUND_TEMPLATES: readonly ((w: Words) => string)[] = [
  (w) => `Do you ship to ${w.place}?`,
  (w) => `Is the ${w.glaze} ${w.item} still available?`,
  (w) => `How much is the ${w.size} ${w.item}?`,
  (w) => `When is the next drop? I missed the ${w.glaze} ${w.item}s last time.`,
  (w) => `Could I order ${w.count} ${w.item}s in ${w.glaze}?`,
  (w) => `Just got my ${w.item} and I ${w.feeling} it`,
  (w) => `The ${w.glaze} glaze is stunning. Is the ${w.item} dishwasher safe?`,
  (w) => `Do you take custom orders? I'd love a ${w.size} ${w.item}.`,
  (w) => `My ${w.item} arrived, thank you so much!`,
  (w) => `Any chance of a restock on the ${w.size} ${w.glaze} ${w.item}?`,
  (w) => `How long does shipping to ${w.place} usually take?`,
  (w) => `Can I pick up the ${w.item} in person?`,
  (w) => `Would you do a set of ${w.count} for a wedding gift?`,
  (w) => `Are the ${w.item}s microwave safe?`,
  (w) => `ok thank you!`,
  (w) => `Perfect, ordering now`,
  (w) => `What clay do you use for the ${w.item}s?`,
  (w) => `Is there a workshop this month? I'd bring ${w.count} friends.`
]

const OUTBOUND_TEMPLATES: readonly ((w: Words) => string)[] = [
  (w) => `Thank you so much! The ${w.glaze} ${w.item} is still available.`,
  (w) => `Yes, I ship to ${w.place}, usually ${w.count + 4}–${w.count + 10} business days.`,
  (w) => `The ${w.size} ${w.item} is $${w.price}.`,
  (w) => `The next drop is the first Friday of the month at 10am Eastern.`,
  (w) => `I can make ${w.count} ${w.item}s in ${w.glaze}; it takes about ${w.count + 2} weeks.`,
  (w) => `So happy you ${w.feeling.replace('am ', 'are ')} it, thank you for sharing!`,
  (w) => `Yes, everything is dishwasher and microwave safe.`,
  (w) => `Custom orders open next month, I'll add you to the list.`,
  (w) => `Local pickup is free, just choose it at checkout.`,
  (w) => `I use a speckled stoneware fired to cone 6.`,
  (w) => `You're welcome, ${w.name}!`,
  (w) => `Let me check and get back to you today.`
]

interface Words {
  item: string
  glaze: string
  place: string
  size: string
  feeling: string
  count: number
  price: number
  name: string
}

export interface TextPool {
  inbound: readonly string[]
  outbound: readonly string[]
}

export function createTextPool(random: SeededRandom, size: number): TextPool {
  const sentence = (templates: readonly ((w: Words) => string)[]): string => {
    const words: Words = {
      item: random.pick(ITEMS),
      glaze: random.pick(GLAZES),
      place: random.pick(PLACES),
      size: random.pick(SIZES),
      feeling: random.pick(FEELINGS),
      count: random.int(2, 12),
      price: random.int(3, 30) * 5,
      name: random.pick(NAMES)
    }
    return random.pick(GREETINGS) + random.pick(templates)(words) + random.pick(EMOJI)
  }
  return {
    inbound: Array.from({ length: size }, () => sentence(INBOUND_TEMPLATES)),
    outbound: Array.from({ length: size }, () => sentence(OUTBOUND_TEMPLATES))
  }
}
