drop policy p on t;
create policy p on u using (tenant_id = current_setting('app.tenant_id')::uuid);
