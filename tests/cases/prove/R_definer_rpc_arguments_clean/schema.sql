do $$ begin create role app_user; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to app_user;
create function app.tenant() returns uuid language sql stable
    as $$ select nullif(current_setting('app.tenant_id', true), '')::uuid $$;
create table app.workspaces (id uuid primary key default gen_random_uuid(), tenant_id uuid not null, name text not null,
    unique (id, tenant_id));
create table app.members (workspace_id uuid not null, tenant_id uuid not null,
    user_id uuid not null, role text not null default 'member', primary key (tenant_id, workspace_id, user_id),
    foreign key (workspace_id, tenant_id) references app.workspaces (id, tenant_id));
alter table app.workspaces enable row level security;
alter table app.members enable row level security;
create policy workspaces_tenant on app.workspaces to app_user using (tenant_id = app.tenant());
create policy members_tenant on app.members to app_user using (tenant_id = app.tenant());
grant select, insert, update, delete on app.workspaces, app.members to app_user;
-- not callable with B's values: its argument matches no column
create function app.search(p_query text) returns setof app.workspaces language sql stable
    as $$ select * from app.workspaces where name like p_query $$;
-- The clean twin: the same RPCs check that the workspace is the caller's tenant's.
create function app.workspace_members(p_workspace_id uuid) returns setof app.members
    language sql stable security definer set search_path = ''
    as $$ select * from app.members where workspace_id = p_workspace_id and tenant_id = app.tenant() $$;
create function app.set_member_role(p_workspace_id uuid, p_user_id uuid, p_role text) returns void
    language plpgsql security definer set search_path = ''
    as $$ begin
        if not exists (select 1 from app.workspaces w where w.id = p_workspace_id and w.tenant_id = app.tenant()) then
            raise exception 'not your workspace' using errcode = '42501';
        end if;
        update app.members set role = p_role where workspace_id = p_workspace_id and user_id = p_user_id; end $$;
create function app.workspace_name(workspace_id uuid) returns text
    language sql stable security invoker set search_path = ''
    as $$ select w.name from app.workspaces w where w.id = workspace_id $$;
