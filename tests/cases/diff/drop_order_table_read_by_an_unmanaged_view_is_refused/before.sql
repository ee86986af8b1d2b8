create schema app; create schema reporting;
create table app.keep (id int primary key);
create table app.accounts (id int primary key, name text);
create view reporting.account_names as select name from app.accounts;
