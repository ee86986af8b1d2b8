-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

comment on schema app is 'the application';
create type app.color as enum ('red', 'green');
comment on type app.color is 'a colour';
create table app.widgets (
    id int primary key,
    color app.color not null,
    label text
);
comment on table app.widgets is 'Widgets.
Second line, with ''quotes''.';
comment on column app.widgets.label is 'what the user sees';
comment on constraint widgets_pkey on app.widgets is 'the key';
create index widgets_label on app.widgets (label);
comment on index app.widgets_label is 'for search';
create view app.red_widgets as select id, label from app.widgets where color = 'red';
comment on view app.red_widgets is 'only red';
comment on column app.red_widgets.label is 'label of a red widget';
create function app.widget_count() returns bigint language sql stable as $$ select count(*) from app.widgets $$;
comment on function app.widget_count() is 'how many';
create sequence app.widget_numbers;
comment on sequence app.widget_numbers is 'numbers';
alter table app.widgets enable row level security;
create policy widgets_read on app.widgets for select to app_user using (true);
comment on policy widgets_read on app.widgets is 'everyone reads';
