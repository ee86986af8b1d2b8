create schema app;
create table app.docs (id int primary key, owner text not null, archived boolean not null default false);
alter table app.docs enable row level security;
alter table app.docs force row level security;
create policy not_archived on app.docs as restrictive to app_user using (true);
