-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.people (
    id int primary key,
    name text not null,
    manager_id int references app.people (id)
);
create view app.managers as
    select distinct m.id, m.name from app.people p join app.people m on m.id = p.manager_id;
create view app.manager_names as
    select name from app.managers;
create view app.manager_count as
    select count(*) as n from app.manager_names;
create materialized view app.manager_snapshot as select * from app.managers;
