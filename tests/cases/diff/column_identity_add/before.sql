create schema app;
create table app.notes (id bigint primary key, body text not null);
insert into app.notes values (1, 'x'), (7, 'y');
