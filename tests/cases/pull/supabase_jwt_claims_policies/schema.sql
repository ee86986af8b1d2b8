-- Supabase-shaped: runs after the auth stand-in (examples/supabase/supabase/*.sql).

-- Policies on JWT claims: auth.jwt() ->> 'role', app_metadata, and auth.role().
create table public.admin_notes (
    id int primary key,
    body text not null
);
create table public.tenant_settings (
    tenant_id uuid primary key,
    settings jsonb not null default '{}'
);
alter table public.admin_notes enable row level security;
alter table public.tenant_settings enable row level security;
create policy admins_only on public.admin_notes for all to authenticated
    using ((auth.jwt() -> 'app_metadata' ->> 'role') = 'admin');
create policy own_tenant on public.tenant_settings for select to authenticated
    using (tenant_id = ((auth.jwt() -> 'app_metadata' ->> 'tenant_id'))::uuid);
create policy service_writes on public.tenant_settings for update to authenticated
    using (auth.role() = 'service_role');
grant usage on schema public to authenticated;
grant select, insert, update, delete on public.admin_notes to authenticated;
grant select, update on public.tenant_settings to authenticated;
