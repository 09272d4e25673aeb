// Names and Instagram handles for generated participants (scale data and persona newcomers).
import type { SeededRandom } from './prng.ts'

const FIRST_NAMES = [
  'Ava', 'Liam', 'Mia', 'Noah', 'Zoe', 'Ethan', 'Lila', 'Omar', 'Ines', 'Kai', 'Nina', 'Leo', 'Sara', 'Yusuf', 'Chloe',
  'Mateo', 'Hana', 'Jonas', 'Priya', 'Felix', 'Amara', 'Theo', 'Elif', 'Ravi', 'Greta', 'Diego', 'Aiko', 'Sam', 'Lucia', 'Ben'
]
const LAST_NAMES = [
  'Nguyen', 'Smith', 'Garcia', 'Kim', 'Müller', 'Rossi', 'Okafor', 'Silva', 'Cohen', 'Patel', 'Larsen', 'Dubois', 'Tanaka',
  'Haddad', 'Brown', 'Novak', 'Reyes', 'Walsh', 'Moreau', 'Ali', 'Jensen', 'Costa', 'Fischer', 'Osei', 'Park'
]
const HANDLE_WORDS = ['home', 'makes', 'eats', 'studio', 'daily', 'reads', 'plants', 'coffee', 'life', 'art', 'designs', 'travels']

export function participantName(random: SeededRandom): { name: string; username: string } {
  const first = random.pick(FIRST_NAMES)
  const last = random.pick(LAST_NAMES)
  const handle = random.chance(0.5)
    ? `${first}.${last}`.toLowerCase()
    : `${first.toLowerCase()}.${random.pick(HANDLE_WORDS)}${random.chance(0.5) ? random.int(1, 99) : ''}`
  return { name: `${first} ${last}`, username: handle.normalize('NFD').replace(/[\u0300-\u036f]/g, '') }
}
