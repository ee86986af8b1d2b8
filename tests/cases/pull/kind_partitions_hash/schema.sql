-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.sessions (
    id uuid not null,
    user_id int not null,
    data jsonb,
    primary key (id)
) partition by hash (id);
create table app.sessions_0 partition of app.sessions for values with (modulus 4, remainder 0);
create table app.sessions_1 partition of app.sessions for values with (modulus 4, remainder 1);
create table app.sessions_2 partition of app.sessions for values with (modulus 4, remainder 2);
create table app.sessions_3 partition of app.sessions for values with (modulus 4, remainder 3);
