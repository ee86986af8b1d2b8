-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create type app.order_status as enum ('draft', 'placed', 'shipped', 'cancelled');
create type app.priority as enum ('low', 'normal', 'high');
comment on type app.priority is 'how urgent';
create table app.orders (
    id bigint generated always as identity primary key,
    status app.order_status not null default 'draft',
    priority app.priority,
    history app.order_status[] not null default '{}'
);
grant select on app.orders to app_user;
