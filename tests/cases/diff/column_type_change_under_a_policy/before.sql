create schema app;
create table app.docs (id int primary key, level int not null);
alter table app.docs enable row level security;
alter table app.docs force row level security;
create policy low on app.docs for select to app_user using (level < 5);
insert into app.docs values (1, 1);
