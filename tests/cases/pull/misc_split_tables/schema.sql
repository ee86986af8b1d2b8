-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- Pulled with --split tables: one file per table.
create table app.a (id int primary key, note text);
create table app.b (id int primary key, a_id int references app.a (id));
create table app.c (id int primary key, b_id int references app.b (id));
create view app.abc as select a.id as a, b.id as b, c.id as c from app.a join app.b on b.a_id = a.id join app.c on c.b_id = b.id;
grant select on app.a, app.b, app.c to app_user;
