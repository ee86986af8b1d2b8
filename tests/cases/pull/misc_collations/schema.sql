-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create collation app.case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
create table app.names (
    id int primary key,
    c_name text collate "C" not null,
    posix_name varchar(40) collate "POSIX",
    ci_name text collate app.case_insensitive
);
create index names_c on app.names (c_name collate "POSIX");
