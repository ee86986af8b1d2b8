create schema app;
create schema legacy;
create table legacy.old_stuff (id int primary key, secret text);
alter table legacy.old_stuff enable row level security;
create policy anything on legacy.old_stuff using (true);
grant select on legacy.old_stuff to app_user;
create function legacy.f() returns int language sql as 'select 1';
create table app.kept (id int primary key);
