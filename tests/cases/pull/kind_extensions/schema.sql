-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create schema extensions;
create extension if not exists citext with schema extensions;
create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists hstore with schema app;
create table app.accounts (
    id uuid primary key default extensions.gen_random_uuid(),
    legacy_id uuid not null default extensions.uuid_generate_v4(),
    email extensions.citext not null unique,
    attrs app.hstore
);
