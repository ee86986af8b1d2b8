-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create extension if not exists pg_trgm;
create table app.docs (
    id int primary key,
    body text not null,
    tags text[] not null default '{}',
    meta jsonb not null default '{}',
    at timestamptz not null default now(),
    code text not null
);
create index docs_meta on app.docs using gin (meta jsonb_path_ops);
create index docs_tags on app.docs using gin (tags);
create index docs_body_trgm on app.docs using gin (body gin_trgm_ops);
create index docs_at on app.docs using brin (at) with (pages_per_range = 32);
create index docs_code on app.docs using hash (code);
create index docs_fill on app.docs (code) with (fillfactor = 70);
