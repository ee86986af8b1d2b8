-- RPCs: a dashboard guarded by membership, a project transfer guarded on both orgs,
-- and a user search that reads auth.users with owner rights.
create schema private;
create table public.memberships (org_id uuid not null, user_id uuid not null, role text not null default 'member',
  primary key (org_id, user_id));
create index on public.memberships (user_id);
create table public.projects (id uuid primary key default gen_random_uuid(), org_id uuid not null, name text not null,
  budget numeric not null default 0);
create index on public.projects (org_id);
alter table public.memberships enable row level security;
alter table public.projects enable row level security;
create policy own on public.memberships for select to authenticated using (user_id = (select auth.uid()));
create policy member on public.projects for select to authenticated
  using (org_id in (select m.org_id from public.memberships m where m.user_id = (select auth.uid())));
revoke all on public.memberships, public.projects from anon, authenticated;
grant select on public.memberships, public.projects to authenticated;

create function private.is_member(o uuid) returns boolean language sql stable security definer
  set search_path = '' as $$
  select exists (select 1 from public.memberships m where m.org_id = o and m.user_id = (select auth.uid()))
$$;
revoke execute on function private.is_member(uuid) from public;

create function public.org_dashboard(p_org uuid) returns table (projects bigint, budget numeric)
  language plpgsql stable security definer set search_path = '' as $$
begin
  if not private.is_member(p_org) then
    raise exception 'not a member of %', p_org using errcode = '42501';
  end if;
  return query select count(*), coalesce(sum(p.budget), 0) from public.projects p where p.org_id = p_org;
end $$;

create function public.transfer_project(p_project uuid, p_to uuid) returns void
  language plpgsql security definer set search_path = '' as $$
declare
  v_from uuid;
begin
  select p.org_id into v_from from public.projects p
   where p.id = p_project
     and p.org_id in (select m.org_id from public.memberships m where m.user_id = auth.uid() and m.role = 'admin');
  if v_from is null then
    raise exception 'not an admin of the project''s org';
  end if;
  if not exists (select 1 from public.memberships m where m.org_id = p_to and m.user_id = auth.uid() and m.role = 'admin') then
    raise exception 'not an admin of the target org';
  end if;
  update public.projects set org_id = p_to where id = p_project and org_id = v_from;
end $$;

-- The hole: any caller (anon included) searches every user's email.
create function public.search_users(q text) returns table (id uuid, email text)
  language sql stable security definer set search_path = '' as $$
  select u.id, u.email from auth.users u where u.email ilike q || '%'
$$;
