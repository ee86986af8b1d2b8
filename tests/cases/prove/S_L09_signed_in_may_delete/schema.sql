do $$ begin create role anon; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin create role authenticated; exception when duplicate_object or unique_violation then null; end $$;
create schema auth;
create table auth.users (id uuid primary key);
create function auth.jwt() returns jsonb language sql stable
    as $$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $$;
create function auth.uid() returns uuid language sql stable
    as $$ select nullif(auth.jwt() ->> 'sub', '')::uuid $$;
grant usage on schema auth, public to anon, authenticated;
-- two levels: organizations own workspaces; membership is per organization
create table public.orgs (id uuid primary key default gen_random_uuid());
create table public.org_members (org_id uuid not null references public.orgs (id), user_id uuid not null references auth.users (id),
    role text not null default 'member' check (role in ('owner', 'member')), primary key (org_id, user_id));
create table public.workspaces (id uuid primary key default gen_random_uuid(), org_id uuid not null references public.orgs (id));
alter table public.orgs enable row level security;
alter table public.org_members enable row level security;
alter table public.workspaces enable row level security;
create schema private;
create function private.my_workspace_ids() returns setof uuid language sql stable security definer set search_path = ''
    as $$ select w.id from public.workspaces w join public.org_members m on m.org_id = w.org_id where m.user_id = auth.uid() $$;
create policy members_self on public.org_members for select to authenticated using (user_id = (select auth.uid()));
create policy workspaces_member on public.workspaces for select to authenticated using (id in (select private.my_workspace_ids()));
grant usage on schema private to authenticated;
grant select on public.org_members, public.workspaces to authenticated;
create table public.documents (id uuid primary key default gen_random_uuid(),
    workspace_id uuid not null references public.workspaces (id),
    owner_id uuid not null default auth.uid(), title text not null);
alter table public.documents enable row level security;
grant select, insert, update, delete on public.documents to authenticated;
create policy docs_read on public.documents for select to authenticated
    using (workspace_id in (select private.my_workspace_ids()));
create policy docs_insert on public.documents for insert to authenticated
    with check (workspace_id in (select private.my_workspace_ids()));
create policy docs_delete on public.documents for delete to authenticated
    using (owner_id = (select auth.uid()) or (select auth.uid()) is not null);
