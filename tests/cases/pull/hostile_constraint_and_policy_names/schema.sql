-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

-- Names that need quoting in constraints, indexes, triggers and policies.
create table app.t (
    id int constraint "PK of t" primary key,
    v int constraint "v is positive" check (v > 0),
    w int,
    constraint "v,w unique" unique (v, w)
);
create index "Index: v + w" on app.t ((v + w));
alter table app.t enable row level security;
create policy "Users can read rows where v > 0 (it's fine)" on app.t for select to app_user using (v > 0);
create function app."Touch Me"() returns trigger language plpgsql as $$ begin return new; end $$;
create trigger "Before Insert: touch" before insert on app.t for each row execute function app."Touch Me"();
grant select on app.t to app_user;
