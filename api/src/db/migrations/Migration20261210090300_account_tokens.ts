import { Migration } from '@mikro-orm/migrations'

/**
 * The password lifecycle (src/accounts/account-tokens.ts): single-use, short-lived links to
 * reset or set a password and to verify an address, stored as SHA-256 only; and when each
 * user's address was proven theirs. Everyone who exists already counts as verified.
 */
export class Migration20261210090300_account_tokens extends Migration {
  override name = 'Migration20261210090300_account_tokens'

  override up(): void {
    this.addSql(`create table account_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      purpose text not null
        check (purpose in ('password_reset', 'invitation', 'email_verification')),
      token_hash text not null unique,
      expires_at timestamptz not null,
      used_at timestamptz,
      created_at timestamptz not null default now()
    )`)
    this.addSql('create index account_tokens_user_idx on account_tokens (user_id, purpose)')
    this.addSql('alter table users add column email_verified_at timestamptz')
    this.addSql('update users set email_verified_at = created_at')
  }

  override down(): void {
    this.addSql('alter table users drop column email_verified_at')
    this.addSql('drop table account_tokens')
  }
}
