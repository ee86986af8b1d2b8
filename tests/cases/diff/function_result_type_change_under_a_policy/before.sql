create schema app;
create function app.max_level() returns integer language sql stable as 'select 5';
create table app.docs (id int primary key, level bigint not null);
alter table app.docs enable row level security;
alter table app.docs force row level security;
create policy low on app.docs for select to app_user using (level < app.max_level());
