create schema app;
create table app.members (id int primary key, name text not null);
create table app.docs (id int primary key, owner text not null);
alter table app.docs enable row level security;
alter table app.docs force row level security;
create policy members_read on app.docs for select to app_user using (exists (select 1 from app.members m where m.name = owner));
