create table tenants (id uuid primary key);
alter table tenants enable row level security;
