-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- Labels with spaces, quotes, upper case, unicode and a comma.
create type app.mood as enum ('Very Happy', 'it''s ok', 'naïve', '"quoted"', 'UPPER', 'a,b');
create table app.diary (
    id int primary key,
    mood app.mood not null default 'it''s ok'
);
