do $$ begin create role tenant_member; exception when duplicate_object or unique_violation then null; end $$;
create schema app;
grant usage on schema app to tenant_member;
create table app.docs (id uuid primary key default gen_random_uuid(), tenant_id text not null, title text not null);
alter table app.docs enable row level security;
grant select, insert, update, delete on app.docs to tenant_member;
-- Checks membership in the group, not the tenant: every tenant role sees every tenant.
create policy docs_tenant on app.docs to tenant_member
    using (pg_has_role(current_user, 'tenant_member', 'MEMBER'));
