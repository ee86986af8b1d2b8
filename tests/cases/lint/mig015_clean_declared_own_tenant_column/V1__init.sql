create table items (id uuid primary key, workspace_id uuid not null);
alter table items enable row level security;
