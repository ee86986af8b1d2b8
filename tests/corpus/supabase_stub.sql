-- supabase_stub.sql — a stand-in for what the Supabase platform provides
-- before any application migration runs: the API roles, the `auth`,
-- `storage` and `extensions` schemas, auth.users with the auth.uid() /
-- auth.jwt() / auth.role() helpers (reading PostgREST's request.jwt.claims),
-- storage.buckets / storage.objects under RLS, the default privileges that
-- hand every new public table to the API roles, and an empty
-- supabase_realtime publication.
--
-- The roles and the auth and storage schemas are examples/supabase's dev_setup
-- stand-in (one definition for both, included with \ir); this file adds what
-- the platform sets up around them and an rlsctl project must not get in its
-- dev database (default privileges, extensions, the publication, PostgREST's
-- role settings). Written from Supabase's documented shapes; it is not
-- Supabase's own SQL, and it leaves out everything RLS does not need
-- (sessions, refresh tokens, MFA, SSO, storage migrations, ...).
--
-- Idempotent: safe to run twice, and safe to run in several databases of one
-- cluster (roles are cluster-wide and only created when missing).
-- Run as a superuser, with psql (for \ir).

-- ---------------------------------------------------------------- roles
\ir ../../examples/supabase/supabase/roles.sql

-- PostgREST exposes these schemas (the audit's "scanned schemas").
alter role authenticator set pgrst.db_schemas = 'public, storage, graphql_public';
alter role anon set statement_timeout = '3s';
alter role authenticated set statement_timeout = '8s';

-- ---------------------------------------------------------------- schemas
create schema if not exists extensions;
create schema if not exists graphql_public;

grant usage on schema extensions to anon, authenticated, service_role;
grant usage on schema graphql_public to anon, authenticated, service_role;
grant usage on schema public to anon, authenticated, service_role;

create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;

-- ---------------------------------------------------------------- auth, storage
\ir ../../examples/supabase/supabase/auth.sql
\ir ../../examples/supabase/supabase/storage.sql

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
