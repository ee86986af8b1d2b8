-- Object kinds, no tenancy: tables are pulled as public (TODO reasons filled by the runner).
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;

create table app.orders (id int primary key, total int not null);
create table app.order_lines (order_id int not null references app.orders (id), line int not null, primary key (order_id, line));
create table app.settings (key text primary key, value text);
create publication app_changes for table app.orders, app.order_lines with (publish = 'insert, update, delete');
create publication app_inserts for table app.orders with (publish = 'insert');
