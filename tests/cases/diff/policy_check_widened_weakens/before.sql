create schema app;
create table app.docs (id int primary key, owner text not null, archived boolean not null default false);
alter table app.docs enable row level security;
alter table app.docs force row level security;
create policy own_rows on app.docs to app_user using (owner = current_user);
