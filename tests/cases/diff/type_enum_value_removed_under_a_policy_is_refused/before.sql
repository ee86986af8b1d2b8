create schema app;
create type app.member_role as enum ('owner', 'admin', 'member');
create table app.members (id int primary key, role app.member_role not null);
alter table app.members enable row level security;
alter table app.members force row level security;
create policy owners_only on app.members as permissive for all to app_user using (role::text = 'owner');
