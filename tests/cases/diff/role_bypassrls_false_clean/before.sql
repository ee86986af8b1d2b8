create schema app;
create table app.docs (id uuid primary key);
alter role dbl_rb5 nobypassrls;
