create table public.org_members (org_id uuid not null, user_id uuid not null, role text not null default 'member', primary key (org_id, user_id));
alter table public.org_members enable row level security;
create policy self on public.org_members for select to authenticated using (user_id = (select auth.uid()));
grant select on public.org_members to authenticated;
create table public.projects (id bigint generated always as identity primary key, org_id uuid not null, archived boolean not null default false);
alter table public.projects enable row level security;
create policy member on public.projects for select to authenticated
  using (org_id in (select m.org_id from public.org_members m where m.user_id = (select auth.uid())));
grant select on public.projects to authenticated;
create function public.archive_org(p_org uuid) returns void language plpgsql security definer
  set search_path = '' as $$
begin
  if not exists (select 1 from public.org_members m
                 where m.org_id = p_org and m.user_id = auth.uid() and m.role = 'admin') then
    raise exception 'not an admin of %', p_org using errcode = '42501';
  end if;
  update public.projects set archived = true where org_id = p_org;
end $$;
