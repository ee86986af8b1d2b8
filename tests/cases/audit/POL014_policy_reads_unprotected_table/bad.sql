create table app.docs (id int generated always as identity primary key, tenant_id text not null, email text, secret text, is_public boolean not null default false);
create table app.members (user_id text not null, tenant_id text not null);
alter table app.docs enable row level security; alter table app.docs force row level security;
create policy sel on app.docs for select to app_user
  using (tenant_id in (select m.tenant_id from app.members m where m.user_id = (select current_setting('app.user_id', true))));
grant select, insert, update, delete on app.docs to app_user;
grant select, insert on app.members to app_user;
reset role;
insert into app.members values ('u1', 'A'), ('u2', 'B');
insert into app.docs (tenant_id) values ('A'), ('A'), ('B');
