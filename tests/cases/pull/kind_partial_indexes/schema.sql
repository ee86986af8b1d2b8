-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.tasks (
    id int primary key,
    assignee int,
    done boolean not null default false,
    deleted_at timestamptz,
    due date
);
create index tasks_open_by_assignee on app.tasks (assignee, due) where not done and deleted_at is null;
create unique index tasks_one_open_per_assignee on app.tasks (assignee) where (not done);
create index tasks_overdue on app.tasks (due) where due < '2030-01-01'::date;
