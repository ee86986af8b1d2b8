do $$ begin if not exists (select from pg_roles where rolname = 'platform_reader') then create role platform_reader nologin; end if; end $$;
grant usage on schema public to platform_reader;
grant usage on schema public to public;
create table public.plans (id int primary key, name text not null);
