create schema app;
create table app.keep (id int primary key);
create table app.old_accounts (id int primary key, name text);
create view app.names as select name from app.old_accounts;
