import { Migration } from '@mikro-orm/migrations'

/** Users, teams, API tokens and MFA recovery codes. */
export class Migration20261128090000_accounts extends Migration {
  override name = 'Migration20261128090000_accounts'

  override up(): void {
    this.addSql(`create table users (
      id uuid primary key default gen_random_uuid(),
      email text not null check (email = lower(email) and length(email) between 3 and 254),
      name text not null check (length(name) between 1 and 200),
      role text not null check (role in ('customer', 'agent', 'admin')),
      password_hash text,
      mfa_enabled boolean not null default false,
      totp_secret text,
      totp_pending_secret text,
      totp_last_step bigint,
      mfa_required boolean not null default false,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      erased_at timestamptz,
      check (not mfa_enabled or totp_secret is not null)
    )`)
    // Emails are compared case-insensitively; the column holds them lower-cased already, the
    // expression index keeps it so even for rows written by hand.
    this.addSql('create unique index users_email_key on users (lower(email))')
    // The users list: by name (keyset on name, id), optionally by role.
    this.addSql('create index users_name_idx on users (name, id)')
    this.addSql('create index users_role_name_idx on users (role, name, id)')

    this.addSql(`create table teams (
      id uuid primary key default gen_random_uuid(),
      name text not null check (length(name) between 1 and 100),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`)
    this.addSql('create unique index teams_name_key on teams (lower(name))')
    this.addSql(`create table team_members (
      team_id uuid not null references teams (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      primary key (team_id, user_id)
    )`)
    this.addSql('create index team_members_user_idx on team_members (user_id)')

    this.addSql(`create table api_tokens (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (length(name) between 1 and 100),
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz,
      last_used_at timestamptz
    )`)
    this.addSql('create index api_tokens_user_idx on api_tokens (user_id, created_at)')

    this.addSql(`create table recovery_codes (
      user_id uuid not null references users (id) on delete cascade,
      code_hash text not null,
      primary key (user_id, code_hash)
    )`)
  }

  override down(): void {
    this.addSql('drop table recovery_codes, api_tokens, team_members, teams, users')
  }
}
