create schema app;
create table app.notes (id int primary key);
comment on table app.notes is 'old';
