-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.ranges (
    id int primary key,
    low int not null check (low >= 0),
    high int not null,
    kind text not null default 'a',
    constraint ranges_ordered check (low <= high),
    constraint ranges_kind check (kind in ('a', 'b', 'c') and length(kind) = 1),
    constraint ranges_width check (high - low < 1000000)
);
