-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.users (
    id int primary key,
    email text not null,
    name text not null,
    created_at timestamptz not null default now(),
    data jsonb not null default '{}'
);
create unique index users_email_lower_key on app.users (lower(email));
create index users_name_pattern on app.users (name text_pattern_ops);
create index users_created_desc on app.users (created_at desc nulls last, id);
create index users_name_c on app.users (name collate "C");
create index users_data_kind on app.users ((data ->> 'kind'));
create index users_covering on app.users (email) include (name, created_at);
