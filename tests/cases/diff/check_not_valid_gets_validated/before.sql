create schema app;
create table app.notes (id int primary key, n int not null);
alter table app.notes add constraint n_positive check (n > 0) not valid;
