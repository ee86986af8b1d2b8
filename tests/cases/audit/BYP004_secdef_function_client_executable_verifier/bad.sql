-- The "membership check" only checks its argument is not null.
create schema private;
create table public.org_members (org_id uuid not null, user_id uuid not null, primary key (org_id, user_id));
alter table public.org_members enable row level security;
create policy self on public.org_members for select to authenticated using (user_id = (select auth.uid()));
grant select on public.org_members to authenticated;
create table public.projects (id int primary key, org_id uuid not null, archived boolean not null default false);
alter table public.projects enable row level security;
create policy member on public.projects for select to authenticated
  using (org_id in (select m.org_id from public.org_members m where m.user_id = (select auth.uid())));
grant select on public.projects to authenticated;
create function public.archive_org(p_org uuid) returns void language plpgsql security definer
  set search_path = '' as $$
begin
  if not private.is_member(p_org) then
    raise exception 'not a member';
  end if;
  update public.projects set archived = true where org_id = p_org;
end $$;
create function private.is_member(o uuid) returns boolean language sql stable
  set search_path = '' as $$ select o is not null $$;
