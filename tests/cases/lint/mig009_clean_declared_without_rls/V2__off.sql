alter table tenants disable row level security;
