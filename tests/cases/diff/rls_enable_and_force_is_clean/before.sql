create schema app;
create table app.docs (id int primary key);
