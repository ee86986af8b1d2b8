-- Supabase-shaped: runs after the auth stand-in (examples/supabase/supabase/*.sql).

-- Two-level tenancy: organizations -> workspaces, each with members.
create schema private;
grant usage on schema private to authenticated;
create table public.organizations (
    id uuid primary key default gen_random_uuid(),
    name text not null
);
create table public.organization_members (
    org_id uuid not null references public.organizations (id) on delete cascade,
    user_id uuid not null references auth.users (id) on delete cascade,
    is_admin boolean not null default false,
    primary key (org_id, user_id)
);
create table public.workspaces (
    id uuid primary key default gen_random_uuid(),
    org_id uuid not null references public.organizations (id) on delete cascade,
    name text not null
);
create index workspaces_org_id_idx on public.workspaces (org_id);
create table public.workspace_members (
    workspace_id uuid not null references public.workspaces (id) on delete cascade,
    user_id uuid not null references auth.users (id) on delete cascade,
    primary key (workspace_id, user_id)
);
create table public.pages (
    id uuid primary key default gen_random_uuid(),
    workspace_id uuid not null references public.workspaces (id) on delete cascade,
    title text not null
);
create index pages_workspace_id_idx on public.pages (workspace_id);
create function private.my_org_ids() returns setof uuid language sql stable security definer set search_path = ''
    as $$ select m.org_id from public.organization_members m where m.user_id = (select auth.uid()) $$;
create function private.my_workspace_ids() returns setof uuid language sql stable security definer set search_path = ''
    as $$ select m.workspace_id from public.workspace_members m where m.user_id = (select auth.uid()) $$;
create function private.is_org_admin(org uuid) returns boolean language sql stable security definer set search_path = ''
    as $$ select exists (select 1 from public.organization_members m where m.org_id = org and m.user_id = (select auth.uid()) and m.is_admin) $$;
grant execute on function private.my_org_ids(), private.my_workspace_ids(), private.is_org_admin(uuid) to authenticated;
alter table public.organizations enable row level security;
alter table public.organization_members enable row level security;
alter table public.workspaces enable row level security;
alter table public.workspace_members enable row level security;
alter table public.pages enable row level security;
create policy tenant_isolation on public.organizations as permissive for all to authenticated
    using (id in (select private.my_org_ids())) with check (id in (select private.my_org_ids()));
create policy tenant_isolation on public.organization_members as permissive for all to authenticated
    using (org_id in (select private.my_org_ids())) with check (org_id in (select private.my_org_ids()));
create policy org_admins_write on public.organization_members as restrictive for insert to authenticated
    with check (private.is_org_admin(org_id));
create policy tenant_isolation on public.workspaces as permissive for all to authenticated
    using (org_id in (select private.my_org_ids())) with check (org_id in (select private.my_org_ids()));
create policy tenant_isolation on public.workspace_members as permissive for all to authenticated
    using (workspace_id in (select private.my_workspace_ids())) with check (workspace_id in (select private.my_workspace_ids()));
create policy tenant_isolation on public.pages as permissive for all to authenticated
    using (workspace_id in (select private.my_workspace_ids())) with check (workspace_id in (select private.my_workspace_ids()));
grant usage on schema public to authenticated;
grant select, update on public.organizations to authenticated;
grant select, insert on public.organization_members to authenticated;
grant select on public.workspaces, public.workspace_members to authenticated;
grant select, insert, update, delete on public.pages to authenticated;
