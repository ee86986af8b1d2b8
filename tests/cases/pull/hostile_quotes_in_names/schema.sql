-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- Identifiers holding double quotes, single quotes and backslashes.
create table app."Order ""Items""" (
    "id" int primary key,
    "it's" text,
    "back\slash" text,
    "say ""hi""" text not null default 'it''s "quoted"'
);
create index "idx ""quoted""" on app."Order ""Items""" ("it's");
alter table app."Order ""Items""" add constraint "check ""it's""" check ("it's" <> '');
grant select ("id", "it's") on app."Order ""Items""" to app_user;
comment on column app."Order ""Items"""."say ""hi""" is 'a ''comment'' with "quotes"';
