import { Migration } from '@mikro-orm/migrations'

/** The platform's own table; the instance id tells installations (and their backups) apart. */
export class Migration20261128080000_platform extends Migration {
  override name = 'Migration20261128080000_platform'

  override up(): void {
    this.addSql(`create table app_setting (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null default now()
    )`)
    this.addSql(
      `insert into app_setting (key, value) values ('instance_id', to_jsonb(gen_random_uuid()::text))`,
    )
  }

  override down(): void {
    this.addSql('drop table app_setting')
  }
}
