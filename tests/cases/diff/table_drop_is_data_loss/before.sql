create schema app;
create table app.keep (id int primary key);
create table app.gone (id int primary key, keep_id int references app.keep);
insert into app.keep values (1); insert into app.gone values (1, 1);
