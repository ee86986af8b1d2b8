create schema app;
create table app.base (id int not null);
create table app.child (extra text) inherits (app.base);
