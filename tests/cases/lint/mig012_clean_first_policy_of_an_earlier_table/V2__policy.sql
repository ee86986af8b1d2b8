create policy q on u using (tenant_id = current_setting('app.tenant_id')::uuid);
create policy r on u for delete using (false);
