create schema app;
create table app.docs (id uuid primary key);
alter role dbl_rb1 bypassrls;
