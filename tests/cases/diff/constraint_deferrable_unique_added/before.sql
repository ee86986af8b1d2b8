create schema app;
create table app.slots (id int primary key, pos int not null, constraint slots_pos_key unique (pos));
