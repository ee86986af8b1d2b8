-- Supabase-shaped: runs after the auth stand-in (examples/supabase/supabase/*.sql).

-- Workspaces as tenants, membership rows joined on auth.uid().
create schema private;
grant usage on schema private to authenticated;
create table public.workspaces (
    id uuid primary key default gen_random_uuid(),
    name text not null
);
create table public.workspace_members (
    workspace_id uuid not null references public.workspaces (id),
    user_id uuid not null references auth.users (id) on delete cascade,
    role text not null default 'member',
    primary key (workspace_id, user_id)
);
create index workspace_members_user_id_idx on public.workspace_members (user_id);
create function private.my_workspace_ids() returns setof uuid language sql stable security definer
    set search_path = ''
    as $$ select m.workspace_id from public.workspace_members m where m.user_id = (select auth.uid()) $$;
grant execute on function private.my_workspace_ids() to authenticated;
create table public.documents (
    id uuid primary key default gen_random_uuid(),
    workspace_id uuid not null references public.workspaces (id),
    title text not null,
    owner_id uuid not null default auth.uid()
);
create index documents_workspace_id_idx on public.documents (workspace_id);
alter table public.workspaces enable row level security;
alter table public.workspace_members enable row level security;
alter table public.documents enable row level security;
create policy tenant_isolation on public.workspaces as permissive for all to authenticated
    using (id in (select private.my_workspace_ids())) with check (id in (select private.my_workspace_ids()));
create policy tenant_isolation on public.workspace_members as permissive for all to authenticated
    using (workspace_id in (select private.my_workspace_ids())) with check (workspace_id in (select private.my_workspace_ids()));
create policy tenant_isolation on public.documents as permissive for all to authenticated
    using (workspace_id in (select private.my_workspace_ids())) with check (workspace_id in (select private.my_workspace_ids()));
create policy documents_owner_delete on public.documents as restrictive for delete to authenticated
    using (owner_id = (select auth.uid()));
grant usage on schema public to anon, authenticated;
grant select on public.workspaces, public.workspace_members to authenticated;
grant select, insert, update, delete on public.documents to authenticated;
