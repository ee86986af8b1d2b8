-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.measurements (
    device int not null,
    at timestamptz not null,
    value double precision not null,
    primary key (device, at)
) partition by range (at);
create table app.measurements_2025 partition of app.measurements
    for values from ('2025-01-01') to ('2026-01-01');
create table app.measurements_2026 partition of app.measurements
    for values from ('2026-01-01') to ('2027-01-01');
create table app.measurements_default partition of app.measurements default;
create index measurements_value on app.measurements (value);
alter table app.measurements enable row level security;
create policy measurements_read on app.measurements for select to app_user using (device > 0);
grant select on app.measurements to app_user;
