create schema app;
create table app.docs (id int primary key);
alter table app.docs enable row level security;
alter table app.docs force row level security;
