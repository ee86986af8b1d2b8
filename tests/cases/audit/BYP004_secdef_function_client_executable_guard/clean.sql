create table app.memberships (user_id text not null, org_id text not null, role text not null default 'member', primary key (user_id, org_id));
alter table app.memberships enable row level security;
create policy own on app.memberships for select to app_user using (user_id = (select current_setting('app.user_id', true)));
grant select on app.memberships to app_user;
create table app.projects (id int primary key, org_id text not null, name text, archived boolean not null default false);
alter table app.projects enable row level security;
create policy member on app.projects for select to app_user
  using (org_id in (select m.org_id from app.memberships m where m.user_id = (select current_setting('app.user_id', true))));
grant select on app.projects to app_user;
reset role;
-- Raises for non-admins of the org before it writes: not flagged.
create function app.archive_org(p_org text) returns void language plpgsql security definer
  set search_path = '' as $$
declare
  me text := current_setting('app.user_id', true);
begin
  perform 1 from app.memberships m where m.org_id = p_org and m.user_id = me and m.role = 'admin';
  if not found then
    raise exception 'not an admin of %', p_org using errcode = '42501';
  end if;
  update app.projects set archived = true where org_id = p_org;
end $$;
