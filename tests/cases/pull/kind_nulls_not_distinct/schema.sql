-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.slots (
    id int primary key,
    team int,
    day date,
    constraint slots_team_day_key unique nulls not distinct (team, day)
);
create unique index slots_day_only on app.slots (day) nulls not distinct where (team is null);
