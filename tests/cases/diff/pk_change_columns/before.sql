create schema app;
create table app.notes (id int not null, v int not null, constraint notes_pkey primary key (id));
