create schema app;
create table app.users (id int primary key, code text not null unique);
create table app.notes (id int primary key, user_code text not null references app.users (code));
insert into app.users values (1, 'a'); insert into app.notes values (1, 'a');
