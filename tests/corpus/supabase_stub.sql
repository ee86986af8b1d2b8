-- supabase_stub.sql — a stand-in for what the Supabase platform provides
-- before any application migration runs: the API roles, the `auth`,
-- `storage` and `extensions` schemas, auth.users with the auth.uid() /
-- auth.jwt() / auth.role() helpers (reading PostgREST's request.jwt.claims),
-- storage.buckets / storage.objects under RLS, the default privileges that
-- hand every new public table to the API roles, and an empty
-- supabase_realtime publication.
--
-- Written for the rlsctl test corpus from Supabase's documented shapes; it is
-- not Supabase's own SQL, and it leaves out everything RLS does not need
-- (sessions, refresh tokens, MFA, SSO, storage migrations, ...).
--
-- Idempotent: safe to run twice, and safe to run in several databases of one
-- cluster (roles are cluster-wide and only created when missing).
-- Run as a superuser.

-- ---------------------------------------------------------------- roles
do $roles$
begin
  if not exists (select 1 from pg_roles where rolname = 'anon') then
    create role anon nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticated') then
    create role authenticated nologin noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'service_role') then
    create role service_role nologin noinherit bypassrls;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    -- PostgREST logs in as authenticator and SET ROLEs to the JWT's role.
    create role authenticator login noinherit;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_auth_admin') then
    create role supabase_auth_admin nologin noinherit createrole;
  end if;
  if not exists (select 1 from pg_roles where rolname = 'supabase_storage_admin') then
    create role supabase_storage_admin nologin noinherit createrole;
  end if;
exception when unique_violation or duplicate_object then
  -- another database of the same cluster created a role concurrently
  null;
end
$roles$;

grant anon, authenticated, service_role to authenticator;
grant anon, authenticated, service_role to supabase_storage_admin;

-- PostgREST exposes these schemas (the audit's "scanned schemas").
alter role authenticator set pgrst.db_schemas = 'public, storage, graphql_public';
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

-- ---------------------------------------------------------------- schemas
create schema if not exists extensions;
create schema if not exists auth authorization supabase_auth_admin;
create schema if not exists storage authorization supabase_storage_admin;
create schema if not exists graphql_public;

grant usage on schema extensions to anon, authenticated, service_role;
grant usage on schema auth to anon, authenticated, service_role;
grant usage on schema storage to anon, authenticated, service_role;
grant usage on schema graphql_public to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;

create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;

-- ---------------------------------------------------------------- auth
create table if not exists auth.users (
  instance_id           uuid,
  id                    uuid not null primary key,
  aud                   varchar(255),
  role                  varchar(255),
  email                 varchar(255),
  encrypted_password    varchar(255),
  email_confirmed_at    timestamptz,
  invited_at            timestamptz,
  confirmation_token    varchar(255),
  confirmation_sent_at  timestamptz,
  recovery_token        varchar(255),
  recovery_sent_at      timestamptz,
  last_sign_in_at       timestamptz,
  raw_app_meta_data     jsonb,       -- set by the server only (provider, roles, claims)
  raw_user_meta_data    jsonb,       -- editable by the user himself (auth.updateUser)
  is_super_admin        boolean,
  created_at            timestamptz default now(),
  updated_at            timestamptz default now(),
  phone                 text unique default null,
  phone_confirmed_at    timestamptz,
  banned_until          timestamptz,
  deleted_at            timestamptz,
  is_sso_user           boolean not null default false,
  is_anonymous          boolean not null default false
);
alter table auth.users owner to supabase_auth_admin;
create unique index if not exists users_email_partial_key
  on auth.users (email) where (is_sso_user = false);
create index if not exists users_instance_id_idx on auth.users (instance_id);
comment on table auth.users is 'Auth: Stores user login data within a secure schema.';

-- The claims PostgREST puts in request.jwt.claims for the current request.
-- The two-argument current_setting returns NULL when never set and '' once an
-- earlier transaction on the same connection set it, hence the nullif.
create or replace function auth.jwt() returns jsonb
  language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim', true), ''),
    nullif(current_setting('request.jwt.claims', true), '')
  )::jsonb
$$;

create or replace function auth.uid() returns uuid
  language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.sub', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub')
  )::uuid
$$;

create or replace function auth.role() returns text
  language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.role', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role')
  )::text
$$;

create or replace function auth.email() returns text
  language sql stable
as $$
  select coalesce(
    nullif(current_setting('request.jwt.claim.email', true), ''),
    (nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email')
  )::text
$$;

alter function auth.jwt() owner to supabase_auth_admin;
alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.email() owner to supabase_auth_admin;
grant execute on function auth.jwt(), auth.uid(), auth.role(), auth.email()
  to anon, authenticated, service_role;
comment on function auth.uid() is 'Deprecated. Use auth.jwt() -> ''sub'' instead.';

-- ---------------------------------------------------------------- storage
create table if not exists storage.buckets (
  id                  text not null primary key,
  name                text not null,
  owner               uuid,                          -- deprecated, see owner_id
  owner_id            text,
  public              boolean default false,
  avif_autodetection  boolean default false,
  file_size_limit     bigint,
  allowed_mime_types  text[],
  created_at          timestamptz default now(),
  updated_at          timestamptz default now()
);
create unique index if not exists bname on storage.buckets using btree (name);

create table if not exists storage.objects (
  id                uuid not null default gen_random_uuid() primary key,
  bucket_id         text references storage.buckets (id),
  name              text,
  owner             uuid,                            -- deprecated, see owner_id
  owner_id          text,
  created_at        timestamptz default now(),
  updated_at        timestamptz default now(),
  last_accessed_at  timestamptz default now(),
  metadata          jsonb,
  user_metadata     jsonb,
  version           text,
  path_tokens       text[] generated always as (string_to_array(name, '/')) stored
);
create unique index if not exists bucketid_objname on storage.objects using btree (bucket_id, name);
create index if not exists name_prefix_search on storage.objects using btree (name text_pattern_ops);

alter table storage.buckets owner to supabase_storage_admin;
alter table storage.objects owner to supabase_storage_admin;
alter table storage.buckets enable row level security;
alter table storage.objects enable row level security;

grant all on storage.buckets to anon, authenticated, service_role;
grant all on storage.objects to anon, authenticated, service_role;

-- Path helpers used by storage policies: 'ws-uuid/reports/q1.pdf'
create or replace function storage.foldername(name text) returns text[]
  language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[1 : array_length(_parts, 1) - 1];
end
$$;

create or replace function storage.filename(name text) returns text
  language plpgsql immutable
as $$
declare
  _parts text[];
begin
  select string_to_array(name, '/') into _parts;
  return _parts[array_length(_parts, 1)];
end
$$;

create or replace function storage.extension(name text) returns text
  language plpgsql immutable
as $$
declare
  _parts text[];
  _filename text;
begin
  select string_to_array(name, '/') into _parts;
  select _parts[array_length(_parts, 1)] into _filename;
  return reverse(split_part(reverse(_filename), '.', 1));
end
$$;

alter function storage.foldername(text) owner to supabase_storage_admin;
alter function storage.filename(text) owner to supabase_storage_admin;
alter function storage.extension(text) owner to supabase_storage_admin;

-- ---------------------------------------------------------------- platform defaults
-- Every table, sequence and function the project's migrations create in
-- public is born granted to the API roles (ALL on tables includes TRUNCATE,
-- REFERENCES and TRIGGER); RLS is what is supposed to stop them.
alter default privileges for role postgres in schema public
  grant all on tables to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on sequences to anon, authenticated, service_role;
alter default privileges for role postgres in schema public
  grant all on functions to anon, authenticated, service_role;

-- Realtime streams the tables the project adds to this publication.
do $pub$
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end
$pub$;
