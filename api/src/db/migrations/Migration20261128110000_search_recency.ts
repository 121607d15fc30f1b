import { Migration } from '@mikro-orm/migrations'

/** The trigger function that rebuilds a ticket's document, `tail` appended to it. */
function searchRefresh(tail: string): string {
  return `create or replace function tickets_search_refresh() returns trigger
    language plpgsql as $$
    begin
      new.search := (
        select search_document(new.subject,
          string_agg(body, ' ') filter (where not internal),
          string_agg(body, ' ') filter (where internal))
        from messages where ticket_id = new.id)${tail};
      return new;
    exception when program_limit_exceeded then
      new.search := search_document(new.subject, null, null)${tail};
      return new;
    end $$`
}

/**
 * Recency blocks in every ticket's search document (src/tickets/recency-blocks.ts): the
 * lexemes `recent <level> <block>`, level 0 blocks 4,096 ticket numbers wide and each level 8
 * times wider, so that the GIN index itself can answer "these words among these tickets".
 *
 * Existing tickets get theirs with the index dropped and built again after: one pass over
 * the table instead of a million index insertions (about two minutes for a million tickets,
 * while the table is locked).
 *
 * The index no longer keeps a pending list (`fastupdate`): a search makes up to a few dozen
 * lookups, and each would read the whole list (up to 4 MB) again.
 */
export class Migration20261128110000_search_recency extends Migration {
  override name = 'Migration20261128110000_search_recency'

  override up(): void {
    this.addSql(`create function recency_blocks(number bigint) returns tsvector
      language sql immutable parallel safe as $$
        select array_to_tsvector(array(
          select format('recent %s %s', level, number >> (12 + 3 * level))
          from generate_series(0, 4) level))
      $$`)
    this.addSql(searchRefresh(' || recency_blocks(new.number)'))
    this.addSql('drop index tickets_search_idx')
    this.addSql('update tickets set search = search || recency_blocks(number)')
    this.addSql(
      'create index tickets_search_idx on tickets using gin (search) with (fastupdate = off)',
    )
  }

  override down(): void {
    this.addSql(searchRefresh(''))
    this.addSql(`update tickets set search = ts_delete(search,
      array(select lexeme from unnest(search) where lexeme like 'recent % %'))`)
    this.addSql('alter index tickets_search_idx reset (fastupdate)')
    this.addSql('drop function recency_blocks')
  }
}
