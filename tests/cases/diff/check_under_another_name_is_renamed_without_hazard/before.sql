create schema app;
create table app.notes (id int primary key, n int not null, constraint n_positive check (n > 0));
