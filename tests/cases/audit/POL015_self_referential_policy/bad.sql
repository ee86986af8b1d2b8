create table app.folders (id int primary key, parent int, tenant_id text not null);
alter table app.folders enable row level security;
create policy sel on app.folders for select to app_user using (parent in (select id from app.folders));
grant select on app.folders to app_user;
