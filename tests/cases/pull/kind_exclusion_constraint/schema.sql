-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create extension if not exists btree_gist;
create table app.bookings (
    id int primary key,
    room int not null,
    during tstzrange not null,
    cancelled boolean not null default false,
    constraint bookings_no_overlap exclude using gist (room with =, during with &&) where (not cancelled)
);
create table app.shifts (
    id int primary key,
    person int not null,
    span tsrange not null,
    exclude using gist (person with =, span with &&) deferrable initially deferred
);
