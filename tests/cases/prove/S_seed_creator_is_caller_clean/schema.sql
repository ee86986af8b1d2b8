do $$ begin create role anon; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin create role authenticated; exception when duplicate_object or unique_violation then null; end $$;
create schema auth;
create function auth.jwt() returns jsonb language sql stable
    as $$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;
create function auth.uid() returns uuid language sql stable
    as $$ select nullif(auth.jwt() ->> 'sub', '')::uuid $$;
grant usage on schema auth, public to anon, authenticated;
create table public.notes (id uuid primary key default gen_random_uuid(), org_id uuid not null,
    creator_id uuid not null, body text not null);
alter table public.notes enable row level security;
grant select, insert, update, delete on public.notes to authenticated;
-- Only the note's creator, within the organization, reaches it: a seeded row whose
-- creator is not the tenant's user would make this DENY-ALL.
create policy notes_creator on public.notes to authenticated
    using (org_id = (auth.jwt() -> 'app_metadata' ->> 'org')::uuid and creator_id = (select auth.uid()));
