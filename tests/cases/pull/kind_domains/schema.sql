-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create domain app.email as text
    constraint email_has_at check (position('@' in value) > 1)
    constraint email_short check (length(value) <= 320);
create domain app.positive_cents as bigint not null default 0 check (value >= 0);
create domain app.slug as varchar(64) collate "C" check (value ~ '^[a-z0-9-]+$');
comment on domain app.email is 'an e-mail address';
create table app.customers (
    id int primary key,
    email app.email not null,
    balance app.positive_cents,
    handle app.slug
);
