-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.memberships (
    org int not null,
    person int not null,
    since date not null default current_date,
    email text,
    constraint memberships_pk primary key (org, person),
    constraint memberships_email_key unique (email) include (since)
);
create table app.codes (
    code text primary key using index tablespace pg_default,
    alias text unique,
    "order" int not null unique
);
create unique index codes_alias_lower on app.codes (lower(alias));
