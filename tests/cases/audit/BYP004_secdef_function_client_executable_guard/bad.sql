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
-- The guard only checks that someone is logged in: any user archives any org's projects.
create function app.archive_org(p_org text) returns void language plpgsql security definer
  set search_path = '' as $$
begin
  if current_setting('app.user_id', true) is null then
    raise exception 'log in first';
  end if;
  update app.projects set archived = true where org_id = p_org;
end $$;
