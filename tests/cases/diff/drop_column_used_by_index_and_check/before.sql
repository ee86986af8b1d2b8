create schema app;
create table app.notes (id int primary key, n int not null constraint n_pos check (n > 0));
create index notes_n_idx on app.notes (n);
