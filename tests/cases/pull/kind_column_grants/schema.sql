-- Column-level privileges beside table-level ones.
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin create role pc_support nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user, pc_support;
create table app.profiles (
    id int primary key,
    display_name text not null,
    email text not null,
    phone text,
    notes text
);
grant select (id, display_name) on app.profiles to app_user;
grant update (display_name) on app.profiles to app_user;
grant select (id, display_name, email, phone), update (notes) on app.profiles to pc_support;
grant insert (id, display_name, email) on app.profiles to pc_support;
grant references (id) on app.profiles to pc_support;
