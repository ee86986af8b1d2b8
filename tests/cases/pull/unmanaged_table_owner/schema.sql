-- Tables owned by a role other than the connecting one (Supabase's postgres
-- vs supabase_admin; a migrations role): the declaration has no owner.
do $$ begin create role pc_owner nologin; exception when duplicate_object or unique_violation then null; end $$;
do $$ begin create role app_user nologin; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create table app.owned_elsewhere (id int primary key);
alter table app.owned_elsewhere owner to pc_owner;
create table app.owned_here (id int primary key);
