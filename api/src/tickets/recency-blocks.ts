// Recency blocks let a search find its newest matches without reading all of them. Every
// ticket's search document also holds the blocks of ticket numbers it falls in — one per
// level, 4,096 numbers wide at level 0 and 8 times wider at each level up (the database's
// `recency_blocks()` writes them). A search then asks the GIN index for "these words and this
// block", block after block from the newest: the index intersects the posting lists itself,
// so a word found in 0.5 % of a million tickets costs the matches in the blocks visited, not
// a heap visit and a sort for each of its 5,000 matches.

const SMALLEST_BLOCK_BITS = 12
const FANOUT_BITS = 3
const FANOUT = 2 ** FANOUT_BITS
const TOP_LEVEL = 4

/**
 * A block's lexeme. The parser splits text at spaces, so no search text can produce one and
 * no ticket's words can be mistaken for one.
 */
function blockLexeme(level: number, block: number): string {
  return `recent ${level} ${block}`
}

function blockOf(number: number, level: number): number {
  return Math.floor(number / 2 ** (SMALLEST_BLOCK_BITS + FANOUT_BITS * level))
}

/** The lexemes `recency_blocks(number)` stores for a ticket, level 0 first. */
export function blocksOf(number: number): string[] {
  return Array.from({ length: TOP_LEVEL + 1 }, (_, level) =>
    blockLexeme(level, blockOf(number, level)),
  )
}

/**
 * Blocks that hold every ticket number from 0 to `newest` exactly once, newest first, as
 * tsquery text. Small blocks come first and each level's run ends where a block of the next
 * level begins: at most 8 per level, so a rare word is looked up a few dozen times at most
 * while a common one stops within the first blocks.
 */
export function recencyWindows(newest: number): string[] {
  const windows: string[] = []
  let level = 0
  let block = blockOf(newest, 0)
  while (block >= 0) {
    windows.push(`'${blockLexeme(level, block)}'`)
    if (block % FANOUT === 0 && level < TOP_LEVEL) {
      level += 1
      block = block / FANOUT - 1
    } else {
      block -= 1
    }
  }
  return windows
}
