do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.posts (id bigint generated always as identity primary key, tenant_id uuid not null,
    title text not null, status text not null);
alter table app.posts enable row level security;
create policy posts_tenant on app.posts to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.posts to app_user;
-- The database already holds rows: the seeder copies one for each tenant.
insert into app.posts (tenant_id, title, status) values
    ('00000000-0000-0000-0000-00000000000a', 'Hello', 'published'),
    ('00000000-0000-0000-0000-00000000000a', 'Draft', 'draft');
-- A definer RPC that lists any tenant's published titles: its filter on
-- status = 'published' must still find B's copy, and B's copied title must be
-- told from A's.
create function app.published_titles(p_tenant_id uuid) returns setof text
    language sql stable security definer set search_path = ''
    as $$ select title from app.posts where tenant_id = p_tenant_id and status = 'published' $$;
