-- Stand-in, for dev databases only, for Supabase's `auth` schema as the Auth
-- service leaves it: auth.users with the columns projects read and reference,
-- and the JWT helpers policies call. Written from Supabase's documented
-- definitions, not copied from them; sessions, identities, MFA, SSO and the
-- service's own bookkeeping tables are left out. Runs after roles.sql.
--
-- Idempotent (IF NOT EXISTS / OR REPLACE), so one cluster's databases can all
-- run it; owned by supabase_auth_admin, as on the platform.
create schema if not exists auth authorization supabase_auth_admin;
grant usage on schema auth to anon, authenticated, service_role;

create table if not exists auth.users (
    instance_id uuid,
    id uuid not null primary key,
    aud varchar(255),
    role varchar(255),
    email varchar(255),
    encrypted_password varchar(255),
    email_confirmed_at timestamptz,
    invited_at timestamptz,
    confirmation_token varchar(255),
    confirmation_sent_at timestamptz,
    recovery_token varchar(255),
    recovery_sent_at timestamptz,
    email_change_token_new varchar(255),
    email_change varchar(255),
    email_change_sent_at timestamptz,
    last_sign_in_at timestamptz,
    -- written by the Auth service only: provider, providers, custom claims
    raw_app_meta_data jsonb,
    -- the sign-up's `options.data`; the user may change it himself
    raw_user_meta_data jsonb,
    is_super_admin boolean,
    created_at timestamptz,
    updated_at timestamptz,
    phone text unique default null,
    phone_confirmed_at timestamptz,
    phone_change text default '',
    phone_change_token varchar(255) default '',
    phone_change_sent_at timestamptz,
    confirmed_at timestamptz generated always as (least(email_confirmed_at, phone_confirmed_at)) stored,
    email_change_token_current varchar(255) default '',
    email_change_confirm_status smallint default 0
        check (email_change_confirm_status >= 0 and email_change_confirm_status <= 2),
    banned_until timestamptz,
    reauthentication_token varchar(255) default '',
    reauthentication_sent_at timestamptz,
    is_sso_user boolean not null default false,
    deleted_at timestamptz,
    is_anonymous boolean not null default false
);
comment on table auth.users is 'Auth: one row per user account (stand-in for dev databases).';
create index if not exists users_instance_id_idx on auth.users (instance_id);
-- An email signs in one account, SSO users aside.
create unique index if not exists users_email_partial_key on auth.users (email) where (is_sso_user = false);
alter table auth.users owner to supabase_auth_admin;
-- The API roles never read auth.users directly: projects copy what they need
-- (a profiles table filled by a trigger) or read it in SECURITY DEFINER code.
revoke all on auth.users from anon, authenticated;
grant all on auth.users to service_role;

-- PostgREST puts the request's verified JWT claims, as JSON, in the
-- transaction-local setting request.jwt.claims; versions before 9 set one
-- setting per claim (request.jwt.claim.sub, ...), which the helpers still read
-- first. A setting read with current_setting(..., true) is NULL when never set
-- and '' on a connection where an earlier transaction set it locally, hence
-- the nullif before every cast.
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
        select nullif(
            coalesce(
                nullif(current_setting('request.jwt.claim.sub', true), ''),
                nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'sub'
            ),
            ''
        )::uuid
    $$;

create or replace function auth.role() returns text
    language sql stable
    as $$
        select nullif(
            coalesce(
                nullif(current_setting('request.jwt.claim.role', true), ''),
                nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role'
            ),
            ''
        )::text
    $$;

create or replace function auth.email() returns text
    language sql stable
    as $$
        select nullif(
            coalesce(
                nullif(current_setting('request.jwt.claim.email', true), ''),
                nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'email'
            ),
            ''
        )::text
    $$;

alter function auth.jwt() owner to supabase_auth_admin;
alter function auth.uid() owner to supabase_auth_admin;
alter function auth.role() owner to supabase_auth_admin;
alter function auth.email() owner to supabase_auth_admin;
grant execute on function auth.jwt(), auth.uid(), auth.role(), auth.email()
    to anon, authenticated, service_role;
-- Supabase steers new code to auth.jwt(); the narrow helpers stay for old policies.
comment on function auth.uid() is 'The JWT''s sub claim as a uuid; prefer auth.jwt() ->> ''sub''.';
comment on function auth.role() is 'The JWT''s role claim; prefer auth.jwt() ->> ''role''.';
comment on function auth.email() is 'The JWT''s email claim; prefer auth.jwt() ->> ''email''.';
