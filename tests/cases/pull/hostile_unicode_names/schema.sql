-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- Non-ASCII identifiers and values.
create table app."café" (
    "naïve" text primary key,
    "日本語" text,
    "emoji 🚀" text,
    "Ωmega" int default 0
);
create type app."état" as enum ('activé', 'désactivé', 'ünknown');
alter table app."café" add column "état" app."état" not null default 'activé';
create function app."größe"(t text) returns int language sql immutable as $$ select length(t) $$;
create index "índice" on app."café" (app."größe"("naïve"));
comment on table app."café" is 'ünïcödé comment — with an em dash';
