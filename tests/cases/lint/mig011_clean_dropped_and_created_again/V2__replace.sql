drop policy if exists p on t;
create policy p on t for select using (tenant_id = current_setting('app.tenant_id')::uuid);
