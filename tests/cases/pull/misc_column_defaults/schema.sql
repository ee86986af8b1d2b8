-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.defaults (
    id int primary key,
    created_at timestamptz not null default now(),
    created_on date not null default current_date,
    created_by name not null default current_user,
    session_by text default session_user,
    status text not null default 'new',
    tags text[] not null default '{}'::text[],
    prefs jsonb not null default '{"theme": "dark", "n": 1}'::jsonb,
    ttl interval not null default interval '30 days',
    score numeric(5, 2) default 0.5,
    token text not null default md5(random()::text),
    active boolean default true,
    neg int default -1,
    expires_at timestamptz default (now() + interval '1 hour')
);
