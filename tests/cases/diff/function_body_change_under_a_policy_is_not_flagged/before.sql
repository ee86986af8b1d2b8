create schema app;
create function app.allowed() returns boolean language sql stable as 'select true';
create table app.docs (id int primary key);
alter table app.docs enable row level security;
alter table app.docs force row level security;
create policy p on app.docs to app_user using (app.allowed());
