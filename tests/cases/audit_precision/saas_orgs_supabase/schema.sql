-- Organizations, memberships with roles, projects; helpers in a private schema.
create schema private;
grant usage on schema private to authenticated;
create table public.organizations (id uuid primary key default gen_random_uuid(), name text not null, created_at timestamptz not null default now());
create table public.memberships (
  org_id uuid not null references public.organizations (id) on delete cascade,
  user_id uuid not null,
  role text not null check (role in ('owner', 'admin', 'member')),
  primary key (org_id, user_id));
create index on public.memberships (user_id);
create table public.projects (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references public.organizations (id) on delete cascade,
  name text not null);
create index on public.projects (org_id);

create function private.is_org_member(o uuid) returns boolean language sql stable security definer
  set search_path = '' as $$
  select exists (select 1 from public.memberships m where m.org_id = o and m.user_id = (select auth.uid()))
$$;
create function private.is_org_admin(o uuid) returns boolean language sql stable security definer
  set search_path = '' as $$
  select exists (select 1 from public.memberships m
                 where m.org_id = o and m.user_id = (select auth.uid()) and m.role in ('owner', 'admin'))
$$;
revoke execute on function private.is_org_member(uuid), private.is_org_admin(uuid) from public;
grant execute on function private.is_org_member(uuid), private.is_org_admin(uuid) to authenticated;

alter table public.organizations enable row level security;
alter table public.memberships enable row level security;
alter table public.projects enable row level security;
create policy org_read on public.organizations for select to authenticated using ((select private.is_org_member(id)));
create policy org_update on public.organizations for update to authenticated
  using ((select private.is_org_admin(id))) with check ((select private.is_org_admin(id)));
create policy member_read on public.memberships for select to authenticated using ((select private.is_org_member(org_id)));
create policy member_admin on public.memberships for all to authenticated
  using ((select private.is_org_admin(org_id))) with check ((select private.is_org_admin(org_id)));
create policy project_read on public.projects for select to authenticated using ((select private.is_org_member(org_id)));
create policy project_write on public.projects for all to authenticated
  using ((select private.is_org_admin(org_id))) with check ((select private.is_org_admin(org_id)));

revoke all on public.organizations, public.memberships, public.projects from anon, authenticated;
grant select, update on public.organizations to authenticated;
grant select, insert, update, delete on public.memberships, public.projects to authenticated;
